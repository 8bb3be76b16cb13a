/** The standards a package can be in. */
export type Standard = 'scorm12' | 'scorm2004' | 'cmi5';

/** One node of an organization (SCORM item, or cmi5 block / AU). */
export interface PackageItem {
  identifier: string;
  title: string;
  /** The resource (SCORM) it launches, when it launches one. */
  identifierref?: string;
  /** SCORM item `parameters`, as written. */
  parameters?: string;
  /**
   * Resolved launch URL, when the item launches something: inside the package the file path relative to
   * the package root, decoded (`leçon 2.html`, as the zip names it), then any `?query#fragment` as a URL
   * writes it; an absolute URL elsewhere stays encoded.
   */
  launchUrl?: string;
  isVisible: boolean;
  children: PackageItem[];
}

export interface PackageOrganization {
  identifier: string;
  title: string;
  items: PackageItem[];
}

/** Something an LMS launches: a SCORM item pointing at a resource, or a cmi5 AU. */
export interface Launchable {
  /** `sco` (talks to the LMS API), `asset` (SCORM resource that does not) or `au` (cmi5). */
  kind: 'sco' | 'asset' | 'au';
  /** Item identifier (SCORM) or AU id (cmi5). */
  id: string;
  title: string;
  /** SCORM resource identifier. */
  resource?: string;
  /** Resource href or AU url as written. */
  href: string;
  /** SCORM item parameters or cmi5 launchParameters, as written. */
  parameters?: string;
  /**
   * Where the LMS points the browser: xml:base and href resolved, item parameters applied. Inside the
   * package: the decoded file path plus the URL's query and fragment (see `PackageItem.launchUrl`).
   */
  launchUrl: string;
  /** Scaled 0..1 (SCORM 1.2's 0..100 is divided by 100). */
  masteryScore?: number;
  /** cmi5 only. */
  moveOn?: string;
  launchMethod?: string;
}

/** What `inspectPackage` learns from a package. */
export interface PackageInfo {
  standard: Standard;
  /** SCORM 2004 edition (2, 3 or 4); null for SCORM 1.2 and cmi5. */
  edition: 2 | 3 | 4 | null;
  /** `metadata/schemaversion` as written (SCORM). */
  schemaVersion?: string;
  /** Manifest path inside the zip. */
  manifest: string;
  title: string;
  /** Course id: manifest identifier (SCORM) or course id (cmi5). */
  identifier: string;
  defaultOrganization?: string;
  organizations: PackageOrganization[];
  /** Launchable units of the default organization (SCORM) or the course (cmi5), in order. */
  launchables: Launchable[];
  /** Number of launchables that are SCOs (SCORM) or AUs (cmi5). */
  scoCount: number;
  /** The mastery score when every SCO/AU that sets one agrees on it. */
  masteryScore?: number;
  /** Entries in the zip (files and folders) and their declared expanded size. */
  entries: number;
  declaredBytes: number;
}
