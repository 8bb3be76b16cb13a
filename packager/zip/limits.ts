/** Caps that keep a hostile zip from exhausting disk or memory; enforced on bytes actually inflated. */
export interface ZipLimits {
  /** Most entries accepted; default 50,000. */
  maxEntries: number;
  /** Most bytes all entries may expand to, together; default 4 GiB. */
  maxTotalBytes: number;
  /** Highest expanded/compressed ratio for an entry that expands past 1 MiB; default 200. */
  maxRatio: number;
}

export const DEFAULT_ZIP_LIMITS: ZipLimits = {
  maxEntries: 50_000,
  maxTotalBytes: 4 * 1024 ** 3,
  maxRatio: 200,
};

/** Entries smaller than this are never judged by ratio: a tiny text file may legitimately shrink 1000×. */
export const RATIO_FLOOR_BYTES = 1024 * 1024;
