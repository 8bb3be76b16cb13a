export { type Course, courseIri, validateCourse } from '../formats/course/course.js';
export { FormatError } from '../formats/errors.js';
export type {
  Launchable,
  PackageInfo,
  PackageItem,
  PackageOrganization,
  Standard,
} from '../formats/inspect/types.js';
export { type Cmi5Options, writeCmi5Manifest } from '../formats/manifest/cmi5.js';
export type { ManifestInput, ManifestItem } from '../formats/manifest/model.js';
export { writeScorm12Manifest } from '../formats/manifest/scorm12.js';
export { type Scorm2004Edition, writeScorm2004Manifest } from '../formats/manifest/scorm2004.js';
export { parseXml, type XmlElement } from '../formats/xml/parse.js';
export { isStored, STORED_EXTENSIONS } from '../formats/zip/compression.js';
export { type BuildPackageOptions, buildPackage } from './build.js';
export { loadCourseConfig } from './course-config.js';
export { PackagerError } from './errors.js';
export { type ExtractResult, extractPackage } from './extract.js';
export { type ListFilesOptions, listFiles } from './files.js';
export { inspectPackage } from './inspect.js';
export { describeSkipped, type SkippedEntry, type SkipReason } from './left-out.js';
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
export { DEFAULT_ZIP_LIMITS, type ZipLimits } from './zip/limits.js';
export { openSafeZip, type SafeEntry, type SafeZip } from './zip/reader.js';
export {
  type WriteZipOptions,
  writeZip,
  type ZipProgress,
  type ZipSource,
  type ZipSummary,
} from './zip/writer.js';
