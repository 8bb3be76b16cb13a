/** Drops what XML 1.0 forbids anywhere: C0 controls other than tab/CR/LF, lone surrogates, U+FFFE/U+FFFF. */
function dropForbidden(value: string): string {
  let out = '';
  for (const ch of value) {
    const c = ch.codePointAt(0)!;
    const forbidden =
      (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) ||
      (c >= 0xd800 && c <= 0xdfff) ||
      c === 0xfffe ||
      c === 0xffff;
    if (!forbidden) out += ch;
  }
  return out;
}

/** Escapes text content: `&`, `<` and `>` (the last so `]]>` can never appear). */
export function escapeText(value: string): string {
  return dropForbidden(value).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Escapes a double-quoted attribute value; tabs and newlines become references so parsers keep them. */
export function escapeAttr(value: string): string {
  return escapeText(value)
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    .replace(/\t/g, '&#9;')
    .replace(/\n/g, '&#10;')
    .replace(/\r/g, '&#13;');
}

/**
 * Turns any string into an xs:ID (an NCName): letters, digits, `.`, `-`, `_`, not starting with a digit,
 * `.` or `-`. Distinct inputs can collide, so callers add their own unique prefix or suffix.
 * @example toXmlId('1st course/intro') // '_1st_course_intro'
 */
export function toXmlId(value: string): string {
  const cleaned = value.normalize('NFKD').replace(/[^A-Za-z0-9._-]/g, '_');
  if (cleaned === '') return '_';
  return /^[A-Za-z_]/.test(cleaned) ? cleaned : `_${cleaned}`;
}
