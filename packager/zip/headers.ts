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
  name: Buffer;
  method: number;
  crc: number;
  compressed: number;
  size: number;
  offset: number;
  /** The local header announced Zip64 sizes (an entry known to exceed 4 GiB). */
  zip64: boolean;
}

const versionNeeded = (zip64: boolean) => (zip64 ? 45 : 20);
const versionMadeBy = (zip64: boolean) => (3 << 8) | versionNeeded(zip64); // Unix

export function localHeader(name: Buffer, method: number, zip64: boolean): Buffer {
  const b = Buffer.alloc(30 + (zip64 ? 20 : 0));
  b.writeUInt32LE(0x04034b50, 0);
  b.writeUInt16LE(versionNeeded(zip64), 4);
  b.writeUInt16LE(FLAGS, 6);
  b.writeUInt16LE(method, 8);
  b.writeUInt16LE(DOS_TIME, 10);
  b.writeUInt16LE(DOS_DATE, 12);
  // crc and sizes follow in the data descriptor; a Zip64 entry marks its sizes as "see the extra field"
  if (zip64) {
    b.writeUInt32LE(LIMIT32, 18);
    b.writeUInt32LE(LIMIT32, 22);
  }
  b.writeUInt16LE(name.length, 26);
  if (zip64) {
    b.writeUInt16LE(20, 28);
    b.writeUInt16LE(ZIP64_EXTRA, 30);
    b.writeUInt16LE(16, 32); // two zeroed 8-byte sizes
  }
  return zip64 ? Buffer.concat([b.subarray(0, 30), name, b.subarray(30)]) : Buffer.concat([b, name]);
}

export function dataDescriptor(e: EntryRecord): Buffer {
  const b = Buffer.alloc(e.zip64 ? 24 : 16);
  b.writeUInt32LE(0x08074b50, 0);
  b.writeUInt32LE(e.crc >>> 0, 4);
  if (e.zip64) {
    b.writeBigUInt64LE(BigInt(e.compressed), 8);
    b.writeBigUInt64LE(BigInt(e.size), 16);
  } else {
    b.writeUInt32LE(e.compressed, 8);
    b.writeUInt32LE(e.size, 12);
  }
  return b;
}

export function centralHeader(e: EntryRecord): Buffer {
  // Zip64 extra fields appear in this order, each only when its classic field is saturated.
  const big: number[] = [];
  const bigSize = e.zip64 || e.size >= LIMIT32;
  const bigCompressed = e.zip64 || e.compressed >= LIMIT32;
  const bigOffset = e.offset >= LIMIT32;
  if (bigSize) big.push(e.size);
  if (bigCompressed) big.push(e.compressed);
  if (bigOffset) big.push(e.offset);
  const zip64 = big.length > 0;
  const extra = zip64 ? Buffer.alloc(4 + 8 * big.length) : Buffer.alloc(0);
  if (zip64) {
    extra.writeUInt16LE(ZIP64_EXTRA, 0);
    extra.writeUInt16LE(8 * big.length, 2);
    big.forEach((v, i) => {
      extra.writeBigUInt64LE(BigInt(v), 4 + 8 * i);
    });
  }
  const b = Buffer.alloc(46);
  b.writeUInt32LE(0x02014b50, 0);
  b.writeUInt16LE(versionMadeBy(zip64), 4);
  b.writeUInt16LE(versionNeeded(zip64), 6);
  b.writeUInt16LE(FLAGS, 8);
  b.writeUInt16LE(e.method, 10);
  b.writeUInt16LE(DOS_TIME, 12);
  b.writeUInt16LE(DOS_DATE, 14);
  b.writeUInt32LE(e.crc >>> 0, 16);
  b.writeUInt32LE(bigCompressed ? LIMIT32 : e.compressed, 20);
  b.writeUInt32LE(bigSize ? LIMIT32 : e.size, 24);
  b.writeUInt16LE(e.name.length, 28);
  b.writeUInt16LE(extra.length, 30);
  // comment length, disk number, internal attributes: zero
  b.writeUInt32LE(EXTERNAL_ATTRS, 38);
  b.writeUInt32LE(bigOffset ? LIMIT32 : e.offset, 42);
  return Buffer.concat([b, e.name, extra]);
}

/**
 * The end records. Past 65,535 entries or 4 GiB of offsets, a Zip64 end record and its locator come
 * first and the classic record keeps saturated values pointing readers to them.
 */
export function endOfCentralDirectory(count: number, size: number, start: number): Buffer {
  const zip64 = count >= 0xffff || size >= LIMIT32 || start >= LIMIT32;
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0);
  eocd.writeUInt16LE(Math.min(count, 0xffff), 8);
  eocd.writeUInt16LE(Math.min(count, 0xffff), 10);
  eocd.writeUInt32LE(Math.min(size, LIMIT32), 12);
  eocd.writeUInt32LE(Math.min(start, LIMIT32), 16);
  if (!zip64) return eocd;
  const record = Buffer.alloc(56);
  record.writeUInt32LE(0x06064b50, 0);
  record.writeBigUInt64LE(44n, 4); // size of the rest of the record
  record.writeUInt16LE(versionMadeBy(true), 12);
  record.writeUInt16LE(45, 14);
  record.writeBigUInt64LE(BigInt(count), 24);
  record.writeBigUInt64LE(BigInt(count), 32);
  record.writeBigUInt64LE(BigInt(size), 40);
  record.writeBigUInt64LE(BigInt(start), 48);
  const locator = Buffer.alloc(20);
  locator.writeUInt32LE(0x07064b50, 0);
  locator.writeBigUInt64LE(BigInt(start + size), 8); // the Zip64 record follows the central directory
  locator.writeUInt32LE(1, 16); // total number of disks
  return Buffer.concat([record, locator, eocd]);
}
