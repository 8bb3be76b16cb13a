import {
  createHash,
  createHmac,
  randomBytes,
  randomFillSync,
  randomUUID,
  scrypt,
  timingSafeEqual,
} from 'node:crypto';

/**
 * The Gatekeeper's small crypto surface, in one file so a Workers build can swap it for WebCrypto:
 * random ids, sha256 of API keys, HMAC for session tokens, scrypt for passwords.
 */

const SCRYPT = { N: 16384, r: 8, p: 1, keylen: 32 };

/** `bytes` random bytes as base64url. */
export function randomToken(bytes = 24): string {
  return randomBytes(bytes).toString('base64url');
}

/** A random id (a v4 UUID, 122 random bits) with a readable prefix, e.g. `lic_3b241101-e2bb-…`. */
export function newId(prefix: string): string {
  // randomUUID draws from Node's own entropy cache: far cheaper per id than randomBytes.
  return `${prefix}_${randomUUID()}`;
}

/**
 * An id that sorts by creation time (milliseconds, base 36) followed by 64 random bits. Rows keyed by it
 * are appended at the end of their index instead of at a random page, which keeps each commit small.
 */
export function newSortableId(prefix: string, nowMs: number): string {
  if (poolAt === pool.length) {
    randomFillSync(pool);
    poolAt = 0;
  }
  const random = pool.toString('hex', poolAt, poolAt + 8);
  poolAt += 8;
  return `${prefix}_${nowMs.toString(36).padStart(9, '0')}${random}`;
}
// Random bytes for 512 sortable ids at a time (one per launch): one call into the CSPRNG per 512 ids,
// as Node's own randomUUID does with its entropy cache. Each byte is handed out once.
const pool = Buffer.alloc(4096);
let poolAt = pool.length;

export function sha256Hex(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

/** HMAC-SHA256 of `data` as base64url. */
export function hmacSha256(secret: Uint8Array, data: string): string {
  return createHmac('sha256', secret).update(data).digest('base64url');
}

/** Compares two strings in time independent of where they differ. */
export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function scryptAsync(password: string, salt: Buffer, n: number, r: number, p: number, keylen: number) {
  return new Promise<Buffer>((resolve, reject) =>
    scrypt(password, salt, keylen, { N: n, r, p, maxmem: 64 * 1024 * 1024 }, (err, key) =>
      err ? reject(err) : resolve(key),
    ),
  );
}

/** scrypt password hash, self-describing: `scrypt$N$r$p$salt$hash`. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scryptAsync(password, salt, SCRYPT.N, SCRYPT.r, SCRYPT.p, SCRYPT.keylen);
  return ['scrypt', SCRYPT.N, SCRYPT.r, SCRYPT.p, salt.toString('base64url'), key.toString('base64url')].join(
    '$',
  );
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  const key = await scryptAsync(
    password,
    Buffer.from(salt, 'base64url'),
    Number(n),
    Number(r),
    Number(p),
    expected.length,
  );
  return timingSafeEqual(key, expected);
}

/** UTF-8 text as base64url. */
export function toBase64url(text: string): string {
  return Buffer.from(text).toString('base64url');
}

/** base64url back to UTF-8 text. */
export function fromBase64url(value: string): string {
  return Buffer.from(value, 'base64url').toString('utf8');
}

/** base64url back to bytes. */
export function bytesFromBase64url(value: string): Uint8Array {
  return Buffer.from(value, 'base64url');
}

/** HMAC-SHA256 of `data` in standard base64, as Standard Webhooks signatures are written. */
export function hmacSha256Base64(secret: Uint8Array, data: string): string {
  return createHmac('sha256', secret).update(data).digest('base64');
}

/** `bytes` random bytes in standard base64 (a webhook secret's body). */
export function randomBase64(bytes: number): string {
  return randomBytes(bytes).toString('base64');
}
