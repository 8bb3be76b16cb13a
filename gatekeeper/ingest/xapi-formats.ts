/**
 * The value formats xAPI 1.0.3 requires of a statement ("Data", sections 4.1 to 4.6), as precompiled
 * regular expressions: shared by the hand-written check (`statement-schema.ts`, the ingest's hot path) and
 * the zod schema that documents the route (`statement-openapi.ts`), so the two cannot drift apart.
 */

/** An absolute IRI: a scheme, a colon and no whitespace (RFC 3987, as far as an LRS can tell cheaply). */
export const IRI = /^[a-z][a-z0-9+.-]*:\S+$/i;
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * An RFC 5646 language tag (its ABNF: langtag, private use, the grandfathered tags), which xAPI requires of
 * every language-map key and of `context.language`.
 */
export const LANGUAGE_TAG =
  /^(?:(?:[a-z]{2,3}(?:-[a-z]{3}){0,3}|[a-z]{4}|[a-z]{5,8})(?:-[a-z]{4})?(?:-(?:[a-z]{2}|\d{3}))?(?:-(?:[a-z\d]{5,8}|\d[a-z\d]{3}))*(?:-[\da-wy-z](?:-[a-z\d]{2,8})+)*(?:-x(?:-[a-z\d]{1,8})+)?|x(?:-[a-z\d]{1,8})+|en-gb-oed|i-(?:ami|bnn|default|enochian|hak|klingon|lux|mingo|navajo|pwn|tao|tay|tsu)|sgn-(?:be-fr|be-nl|ch-de)|art-lojban|cel-gaulish|no-(?:bok|nyn)|zh-(?:guoyu|hakka|min|min-nan|xiang))$/i;

/**
 * An ISO 8601 date and time, extended (`2026-03-01T12:00:00.5+01:00`) or basic (`20260301T120000Z`)
 * format, the zone optional (xAPI: then UTC). ISO 8601 has no negative zero offset: `-00`, `-0000` and
 * `-00:00` (RFC 3339's "unknown local offset") are refused, as ADL's conformance suite requires.
 */
export const TIMESTAMP =
  /^(?!.*-00(?::?00)?$)\d{4}(?:-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])T(?:[01]\d|2[0-3]):[0-5]\d(?::(?:[0-5]\d|60)(?:[.,]\d+)?)?(?:Z|[+-](?:[01]\d|2[0-3])(?::?[0-5]\d)?)?|(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])T(?:[01]\d|2[0-3])[0-5]\d(?:(?:[0-5]\d|60)(?:[.,]\d+)?)?(?:Z|[+-](?:[01]\d|2[0-3])(?:[0-5]\d)?)?)$/;

/**
 * An ISO 8601:2004 duration in the format of its section 4.4.3.2, which xAPI requires: `PnYnMnDTnHnMnS`
 * (any components, at least one) or `PnW` alone (`P4W1D` mixes them and is refused); only the last
 * component may have a decimal fraction. The alternative format (`P0003-01-29T…`) is refused.
 */
export const DURATION =
  /^P(?!.*[.,]\d+[YMDHS].)(?:\d+(?:[.,]\d+)?W|(?=\d|T\d)(?:\d+(?:[.,]\d+)?Y)?(?:\d+(?:[.,]\d+)?M)?(?:\d+(?:[.,]\d+)?D)?(?:T(?=\d)(?:\d+(?:[.,]\d+)?H)?(?:\d+(?:[.,]\d+)?M)?(?:\d+(?:[.,]\d+)?S)?)?)$/;

/** xAPI 1.0.x (`1.0` is 1.0.0, as xAPI 1.0.3 says) or 2.0.x: the statement's `version` and the header. */
export const VERSION = /^(?:1\.0(?:\.\d+)?|2\.0\.\d+)$/;

/** The stored form of an accepted version: `1.0` is stored as `1.0.0`. */
export const canonicalVersion = (v: string): string => (v === '1.0' ? '1.0.0' : v);

/** The verb that voids a statement (xAPI 1.0.3, 2.3.2): its object must be a StatementRef. */
export const VOIDED = 'http://adlnet.gov/expapi/verbs/voided';

/**
 * The interaction types (xAPI 1.0.3, "Interaction Activities"), each with the component lists it may
 * carry: any other list on it is refused, as is a list without an interaction type.
 */
export const INTERACTION_COMPONENTS: Readonly<Record<string, readonly string[]>> = {
  'true-false': [],
  choice: ['choices'],
  'fill-in': [],
  'long-fill-in': [],
  matching: ['source', 'target'],
  performance: ['steps'],
  sequencing: ['choices'],
  likert: ['scale'],
  numeric: [],
  other: [],
};
export const COMPONENT_LISTS = ['choices', 'scale', 'source', 'target', 'steps'] as const;
