/**
 * Characters that XML 1.0 forbids (C0 controls but tab/newline/return, U+FFFE/U+FFFF) and lone
 * surrogates (not Unicode text at all) are removed from everything an article says, once, on the
 * way in, and line ends become "\n": then no feed, page or JSON made from it can be broken by
 * them, and every parser reads back the same text (XML parsers turn a raw "\r" into "\n").
 */
const FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const ANY_SUSPECT = /[\u0000-\u0008\u000B-\u001F\uD800-\uDFFF\uFFFE\uFFFF]/;

export function cleanText(text: string): string {
  return ANY_SUSPECT.test(text) ? text.replace(FORBIDDEN, '').replace(/\r\n?/g, '\n') : text;
}

/** Line breaks and tabs, with the spaces around them. */
const BREAKS = /[ ]*[\t\n\u0085\u2028\u2029][\t\n\u0085\u2028\u2029 ]*/g;

/**
 * Text that readers show on one line (titles, names, tags): cleaned, and every line break or tab
 * (with the spaces around it) becomes one space, so that a title from a YAML block scalar or an
 * import reads the same in every reader.
 */
export function singleLine(text: string): string {
  return cleanText(text).replace(BREAKS, ' ');
}
