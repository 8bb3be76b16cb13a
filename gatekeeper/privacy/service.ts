/**
 * Recognisable personal identifiers in free text, replaced before anything is stored: the one rule the
 * statement ingest and the error ingest both apply (docs/telemetry.md, "Identifiers in stored text" lists
 * what is and is not recognised).
 *
 * One regular expression, one pass per string. Its first alternative matches UUIDs and keeps them: the
 * last group of a UUID is a twelve-digit run that would otherwise read as a long number.
 */
// Alternatives, in order: (1) a UUID, kept; (2) a mailto:, tel: or sms: IRI, up to a space, query or
// fragment; (3) an email address in any script, also URL-encoded (%40) or with a fullwidth ＠, but not
// `name@https://…` (a Firefox stack frame); (4) a run of digits with single spaces or dashes between
// groups, parenthesised groups and a leading +, not glued to letters: phone, card and national numbers,
// counted in `placeholder`. One literal with the `u` flag (`\p{…}` needs it).
const IDENTIFIERS =
  /([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})|((?:mailto|tel|sms):[^\s?#"'<>]+)|([\p{L}\p{N}._%+-]+(?:@|%40|＠)[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*(?![\p{L}\p{N}.-]*:))|((?<![\p{L}\p{N}.])\+?(?:\(\d+\)|\d)(?:[ -]?(?:\(\d+\)|\d))+(?![\p{L}\p{N}]))/giu;

/** Fewest digits a run needs to count as a number that can identify someone. */
const MIN_DIGITS = 9;

function placeholder(match: string, uuid?: string, iri?: string, email?: string): string {
  if (uuid) return match;
  if (iri) return `${iri.slice(0, iri.indexOf(':'))}:[redacted]`;
  if (email) return '[email]';
  let digits = 0;
  for (let i = 0; i < match.length; i++) if (match.charCodeAt(i) >= 48 && match.charCodeAt(i) <= 57) digits++;
  if (digits < MIN_DIGITS) return match;
  return match.startsWith('+') || match.includes('(') ? '[phone]' : '[number]';
}

const SCHEMES = /(?:mailto|tel|sms)$/i;

/**
 * Cheap test first, one scan with no regular expression: most strings (http IRIs, language tags, short
 * answers) hold no `@`, `＠`, `%40`, three digits in a row nor a `mailto:`/`tel:`/`sms:` scheme.
 */
function mayHoldIdentifier(text: string): boolean {
  let digits = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      if (++digits >= 3) return true;
      continue;
    }
    digits = 0;
    if (c === 64 || c === 0xff20) return true;
    if (c === 37 && text.charCodeAt(i + 1) === 52 && text.charCodeAt(i + 2) === 48) return true;
    if (c === 58 && i >= 3 && SCHEMES.test(text.slice(Math.max(0, i - 6), i))) return true;
  }
  return false;
}

/**
 * `text` with every recognised identifier replaced by a placeholder: `[email]`, `mailto:[redacted]`,
 * `tel:[redacted]`, `[phone]` (a digit run with a leading + or parentheses) or `[number]`.
 * @example
 * redactIdentifiers('jane.doe@example.com, +44 20 7946 0958, 4111 1111 1111 1111')
 * // '[email], [phone], [number]'
 */
export function redactIdentifiers(text: string): string {
  if (!mayHoldIdentifier(text)) return text;
  return text.replace(IDENTIFIERS, placeholder);
}
