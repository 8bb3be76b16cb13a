// Every entry carries the same timestamp, 2000-01-01 00:00:00, written as raw DOS fields (never derived
// from a Date, so the machine's time zone cannot leak in), and the same attributes: a regular file, 0644.
const DOS_TIME = 0;
const DOS_DATE = ((2000 - 1980) << 9) | (1 << 5) | 1;
const EXTERNAL_ATTRS = (0o100644 << 16) >>> 0;
const FLAGS = 0x0808; // bit 3: sizes in a data descriptor; bit 11: UTF-8 names
/** Fields at or above this do not fit the classic records and move to Zip64 ones. */
export const LIMIT32 = 0xffffffff;
const ZIP64_EXTRA = 0x0001;

/** What the central directory needs to know about one written entry. */
export interface EntryRecord {
  /** UTF-8 bytes of the entry's path. */
  name: Uint8Array;
  method: number;
  crc: number;
  compressed: number;
  size: number;
  offset: number;
  /** The local header announced Zip64 sizes (an entry known to exceed 4 GiB). */
  zip64: boolean;
}

const versionNeeded = (zip64: boolean) => (zip64 ? 45 : 20);

// Plain Uint8Array and DataView, not Buffer: the Workers build writes zips with these same records.
function record(size: number): { b: Uint8Array; v: DataView } {
  const b = new Uint8Array(size);
  return { b, v: new DataView(b.buffer) };
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
const versionMadeBy = (zip64: boolean) => (3 << 8) | versionNeeded(zip64); // Unix

export function localHeader(name: Uint8Array, method: number, zip64: boolean): Uint8Array {
  const { b, v } = record(30 + (zip64 ? 20 : 0));
  v.setUint32(0, 0x04034b50, true);
  v.setUint16(4, versionNeeded(zip64), true);
  v.setUint16(6, FLAGS, true);
  v.setUint16(8, method, true);
  v.setUint16(10, DOS_TIME, true);
  v.setUint16(12, DOS_DATE, true);
  // crc and sizes follow in the data descriptor; a Zip64 entry marks its sizes as "see the extra field"
  if (zip64) {
    v.setUint32(18, LIMIT32, true);
    v.setUint32(22, LIMIT32, true);
  }
  v.setUint16(26, name.length, true);
  if (zip64) {
    v.setUint16(28, 20, true);
    v.setUint16(30, ZIP64_EXTRA, true);
    v.setUint16(32, 16, true); // two zeroed 8-byte sizes
  }
  return zip64 ? concat([b.subarray(0, 30), name, b.subarray(30)]) : concat([b, name]);
}

export function dataDescriptor(e: EntryRecord): Uint8Array {
  const { b, v } = record(e.zip64 ? 24 : 16);
  v.setUint32(0, 0x08074b50, true);
  v.setUint32(4, e.crc >>> 0, true);
  if (e.zip64) {
    v.setBigUint64(8, BigInt(e.compressed), true);
    v.setBigUint64(16, BigInt(e.size), true);
  } else {
    v.setUint32(8, e.compressed, true);
    v.setUint32(12, e.size, true);
  }
  return b;
}

export function centralHeader(e: EntryRecord): Uint8Array {
  // Zip64 extra fields appear in this order, each only when its classic field is saturated.
  const big: number[] = [];
  const bigSize = e.zip64 || e.size >= LIMIT32;
  const bigCompressed = e.zip64 || e.compressed >= LIMIT32;
  const bigOffset = e.offset >= LIMIT32;
  if (bigSize) big.push(e.size);
  if (bigCompressed) big.push(e.compressed);
  if (bigOffset) big.push(e.offset);
  const zip64 = big.length > 0;
  const extra = record(zip64 ? 4 + 8 * big.length : 0);
  if (zip64) {
    extra.v.setUint16(0, ZIP64_EXTRA, true);
    extra.v.setUint16(2, 8 * big.length, true);
    big.forEach((n, i) => {
      extra.v.setBigUint64(4 + 8 * i, BigInt(n), true);
    });
  }
  const { b, v } = record(46);
  v.setUint32(0, 0x02014b50, true);
  v.setUint16(4, versionMadeBy(zip64), true);
  v.setUint16(6, versionNeeded(zip64), true);
  v.setUint16(8, FLAGS, true);
  v.setUint16(10, e.method, true);
  v.setUint16(12, DOS_TIME, true);
  v.setUint16(14, DOS_DATE, true);
  v.setUint32(16, e.crc >>> 0, true);
  v.setUint32(20, bigCompressed ? LIMIT32 : e.compressed, true);
  v.setUint32(24, bigSize ? LIMIT32 : e.size, true);
  v.setUint16(28, e.name.length, true);
  v.setUint16(30, extra.b.length, true);
  // comment length, disk number, internal attributes: zero
  v.setUint32(38, EXTERNAL_ATTRS, true);
  v.setUint32(42, bigOffset ? LIMIT32 : e.offset, true);
  return concat([b, e.name, extra.b]);
}

/**
 * The end records. Past 65,535 entries or 4 GiB of offsets, a Zip64 end record and its locator come
 * first and the classic record keeps saturated values pointing readers to them.
 */
export function endOfCentralDirectory(count: number, size: number, start: number): Uint8Array {
  const zip64 = count >= 0xffff || size >= LIMIT32 || start >= LIMIT32;
  const eocd = record(22);
  eocd.v.setUint32(0, 0x06054b50, true);
  eocd.v.setUint16(8, Math.min(count, 0xffff), true);
  eocd.v.setUint16(10, Math.min(count, 0xffff), true);
  eocd.v.setUint32(12, Math.min(size, LIMIT32), true);
  eocd.v.setUint32(16, Math.min(start, LIMIT32), true);
  if (!zip64) return eocd.b;
  const end64 = record(56);
  end64.v.setUint32(0, 0x06064b50, true);
  end64.v.setBigUint64(4, 44n, true); // size of the rest of the record
  end64.v.setUint16(12, versionMadeBy(true), true);
  end64.v.setUint16(14, 45, true);
  end64.v.setBigUint64(24, BigInt(count), true);
  end64.v.setBigUint64(32, BigInt(count), true);
  end64.v.setBigUint64(40, BigInt(size), true);
  end64.v.setBigUint64(48, BigInt(start), true);
  const locator = record(20);
  locator.v.setUint32(0, 0x07064b50, true);
  locator.v.setBigUint64(8, BigInt(start + size), true); // the Zip64 record follows the central directory
  locator.v.setUint32(16, 1, true); // total number of disks
  return concat([end64.b, locator.b, eocd.b]);
}
