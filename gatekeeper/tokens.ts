import {
  calculateJwkThumbprint,
  decodeProtectedHeader,
  errors,
  exportJWK,
  generateKeyPair,
  importJWK,
  type JWK,
  jwtVerify,
  SignJWT,
} from 'jose';
import { LICENSE_TOKEN_AUDIENCE, SESSION_TOKEN_AUDIENCE } from '../protocol/launch.js';
import { fromBase64url, hmacSha256, safeEqual, toBase64url } from './crypto.js';
import type { Session } from './db/sessions.js';
import type { KeyStore } from './keys/key-store.js';

/**
 * The only importer of jose. License tokens: EdDSA; session tokens: HS256 (docs/gatekeeper.md,
 * "Tokens").
 */

export interface StoredSigningKey {
  kid: string;
  privateJwk: JWK;
  publicJwk: JWK;
  createdAt: number;
  /** When a rotation stopped it signing; it still verifies the tokens it signed. */
  retiredAt: number | null;
  /**
   * When `coursegate admin retire-signing-key` withdrew it: launches of its tokens are refused
   * (`signing_key_retired`). Absent in key files written before it existed.
   */
  revokedAt?: number | null;
}

/** A new Ed25519 key pair; `kid` is its JWK thumbprint. */
export async function generateSigningKey(now: number): Promise<StoredSigningKey> {
  const { privateKey, publicKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
  const publicJwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(publicJwk);
  return { kid, privateJwk: await exportJWK(privateKey), publicJwk, createdAt: now, retiredAt: null };
}

export interface LicenseClaims {
  licenseId: string;
  orgId: string;
  courseId: string;
  jti: string;
  iat: number;
}

/**
 * What a session token carries: the whole anonymous session, so the Gatekeeper can write the session's
 * row when its first telemetry arrives instead of on the launch path (docs/gatekeeper.md, "Tokens").
 */
export interface SessionClaims {
  sessionId: string;
  orgId: string;
  courseId: string;
  licenseId: string;
  deploymentId: string;
  standard: string;
  /** Milliseconds since the epoch: the launch. */
  createdAt: number;
  /** Seconds since the epoch. */
  exp: number;
}

/** A verified session token; `session` is absent for tokens issued before they carried the whole row. */
export interface VerifiedSession {
  sessionId: string;
  courseId: string;
  licenseId: string;
  exp: number;
  session?: Session;
}

/** Why a token did not verify; recorded with the launch event, never shown beyond `token_invalid`. */
export type TokenFailure =
  | 'malformed'
  | 'alg'
  | 'kid'
  | 'signature'
  | 'iss'
  | 'aud'
  | 'claims'
  /** Genuine, but signed by a key `retire-signing-key` withdrew: refused as `signing_key_retired`. */
  | 'retired';

export type VerifyResult =
  | { ok: true; claims: LicenseClaims }
  | { ok: false; failure: Exclude<TokenFailure, 'retired'> }
  /** The claims of a genuine token, so its refusal is logged against its license. */
  | { ok: false; failure: 'retired'; claims: LicenseClaims };

export interface TokenService {
  signLicenseToken(claims: LicenseClaims): Promise<string>;
  verifyLicenseToken(token: string): Promise<VerifyResult>;
  signSessionToken(claims: SessionClaims): string;
  verifySessionToken(token: string, nowMs: number): VerifiedSession | undefined;
  jwks(): { keys: JWK[] };
  /**
   * Whether a license token with this `iat` (seconds) may be out there signed by a retired key: tokens
   * are not stored but re-signed on demand, so any copy made before that key was rotated out may carry it.
   */
  mayCarryRetiredKey(iat: number): boolean;
}

const SESSION_HEADER = toBase64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
const MEMO_LIMIT = 50_000;

/**
 * Signs and verifies every token the Gatekeeper deals in.
 *
 * @example
 * const tokens = createTokenService({ keys, issuer: 'https://gk.example', now: () => new Date() });
 * const token = await tokens.signLicenseToken({ licenseId, orgId, courseId, jti, iat });
 */
export function createTokenService(options: {
  keys: KeyStore;
  issuer: string;
  now: () => Date;
}): TokenService {
  const { keys, issuer } = options;
  type Imported = Awaited<ReturnType<typeof importJWK>>;
  let verifying = new Map<string, Promise<Imported>>();
  // A token string verifies the same way for as long as the key that signed it is known, so the
  // signature check (not the license row) may be remembered; any key change forgets it all.
  let memo = new Map<string, LicenseClaims>();
  keys.subscribe(() => {
    verifying = new Map();
    memo = new Map();
  });

  const publicKey = (kid: string) => {
    let key = verifying.get(kid);
    if (!key) {
      const stored = keys.list().find((k) => k.kid === kid);
      if (!stored) return undefined;
      key = importJWK(stored.publicJwk, 'EdDSA');
      verifying.set(kid, key);
    }
    return key;
  };

  return {
    async signLicenseToken(c) {
      const active = keys.list().find((k) => k.retiredAt === null);
      if (!active) throw new Error('No active signing key');
      return new SignJWT({ org: c.orgId, course: c.courseId })
        .setProtectedHeader({ alg: 'EdDSA', kid: active.kid, typ: 'JWT' })
        .setIssuer(issuer)
        .setAudience(LICENSE_TOKEN_AUDIENCE)
        .setSubject(c.licenseId)
        .setJti(c.jti)
        .setIssuedAt(c.iat)
        .sign(await importJWK(active.privateJwk, 'EdDSA'));
    },

    mayCarryRetiredKey(iat) {
      return keys.list().some((k) => k.revokedAt && k.retiredAt !== null && iat * 1000 < k.retiredAt);
    },

    async verifyLicenseToken(token) {
      const known = memo.get(token);
      if (known) return { ok: true, claims: known };
      let kid: string | undefined;
      try {
        const header = decodeProtectedHeader(token);
        if (header.alg !== 'EdDSA') return { ok: false, failure: 'alg' };
        kid = header.kid;
      } catch {
        return { ok: false, failure: 'malformed' };
      }
      const key = kid === undefined ? undefined : publicKey(kid);
      if (!key) return { ok: false, failure: 'kid' };
      try {
        const { payload } = await jwtVerify(token, await key, {
          algorithms: ['EdDSA'],
          issuer,
          audience: LICENSE_TOKEN_AUDIENCE,
          currentDate: options.now(),
        });
        const { sub, org, course, jti, iat } = payload;
        if (
          typeof sub !== 'string' ||
          typeof org !== 'string' ||
          typeof course !== 'string' ||
          typeof jti !== 'string' ||
          typeof iat !== 'number'
        )
          return { ok: false, failure: 'claims' };
        const claims: LicenseClaims = { licenseId: sub, orgId: org, courseId: course, jti, iat };
        // Checked after the signature, so only a token the key really signed learns the key is retired.
        if (keys.list().find((k) => k.kid === kid)?.revokedAt)
          return { ok: false, failure: 'retired', claims };
        if (memo.size >= MEMO_LIMIT) memo = new Map();
        memo.set(token, claims);
        return { ok: true, claims };
      } catch (err) {
        if (err instanceof errors.JWTClaimValidationFailed) {
          return { ok: false, failure: err.claim === 'iss' ? 'iss' : err.claim === 'aud' ? 'aud' : 'claims' };
        }
        if (err instanceof errors.JWSSignatureVerificationFailed) return { ok: false, failure: 'signature' };
        return { ok: false, failure: 'malformed' };
      }
    },

    signSessionToken(c) {
      const payload = toBase64url(
        JSON.stringify({
          iss: issuer,
          aud: SESSION_TOKEN_AUDIENCE,
          sub: c.sessionId,
          org: c.orgId,
          course: c.courseId,
          license: c.licenseId,
          deployment: c.deploymentId,
          standard: c.standard,
          at: c.createdAt,
          exp: c.exp,
        }),
      );
      const input = `${SESSION_HEADER}.${payload}`;
      return `${input}.${hmacSha256(keys.sessionSecret, input)}`;
    },

    verifySessionToken(token, nowMs) {
      const [h, p, s] = token.split('.');
      if (h !== SESSION_HEADER || !p || !s || !safeEqual(s, hmacSha256(keys.sessionSecret, `${h}.${p}`)))
        return undefined;
      try {
        const c = JSON.parse(fromBase64url(p)) as Record<string, unknown>;
        if (c.iss !== issuer || c.aud !== SESSION_TOKEN_AUDIENCE) return undefined;
        if (typeof c.exp !== 'number' || c.exp * 1000 <= nowMs) return undefined;
        const verified: VerifiedSession = {
          sessionId: String(c.sub),
          courseId: String(c.course),
          licenseId: String(c.license),
          exp: c.exp,
        };
        const { org, deployment, standard, at } = c;
        if (
          typeof org === 'string' &&
          typeof deployment === 'string' &&
          typeof standard === 'string' &&
          typeof at === 'number'
        )
          verified.session = {
            id: verified.sessionId,
            orgId: org,
            licenseId: verified.licenseId,
            courseId: verified.courseId,
            deploymentId: deployment,
            standard,
            createdAt: at,
            expiresAt: c.exp * 1000,
          };
        return verified;
      } catch {
        return undefined;
      }
    },

    jwks: () => ({
      keys: keys.list().map((k) => ({ ...k.publicJwk, kid: k.kid, alg: 'EdDSA', use: 'sig' })),
    }),
  };
}
