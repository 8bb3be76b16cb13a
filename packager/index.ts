export { type BuildPackageOptions, buildPackage } from './build.js';
export { type Course, courseIri, loadCourseConfig, validateCourse } from './course.js';
export { PackagerError } from './errors.js';
export { type ExtractResult, extractPackage } from './extract.js';
export { type ListFilesOptions, listFiles } from './files.js';
export type { Launchable, PackageInfo, PackageItem, PackageOrganization, Standard } from './inspect/types.js';
export { inspectPackage } from './inspect.js';
export { describeSkipped, type SkippedEntry, type SkipReason } from './left-out.js';
export { type Cmi5Options, writeCmi5Manifest } from './manifest/cmi5.js';
export type { ManifestInput, ManifestItem } from './manifest/model.js';
export { writeScorm12Manifest } from './manifest/scorm12.js';
export { type Scorm2004Edition, writeScorm2004Manifest } from './manifest/scorm2004.js';
export {
  type PackageTelemetry,
  telemetryElement,
  validatePackageTelemetry,
  withPackageTelemetry,
} from './telemetry-config.js';
export {
  manifestName,
  PACKAGE_FORMATS,
  type PackageFormat,
  renderManifest,
  type WritePackageOptions,
  writeStandardPackage,
  writeZipFile,
} from './write-package.js';
export { parseXml, type XmlElement } from './xml/parse.js';
export { isStored, STORED_EXTENSIONS } from './zip/compression.js';
export { DEFAULT_ZIP_LIMITS, type ZipLimits } from './zip/limits.js';
export { openSafeZip, type SafeEntry, type SafeZip } from './zip/reader.js';
export {
  type WriteZipOptions,
  writeZip,
  type ZipProgress,
  type ZipSource,
  type ZipSummary,
} from './zip/writer.js';
