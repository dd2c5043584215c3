/**
 * Characters that XML 1.0 forbids (C0 controls but tab/newline/return, U+FFFE/U+FFFF) and lone
 * surrogates (not Unicode text at all) are removed from everything an article says, once, on the
 * way in: then no feed, page or JSON made from it can be broken by them.
 */
const FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const ANY_SUSPECT = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uD800-\uDFFF\uFFFE\uFFFF]/;

export function cleanText(text: string): string {
  return ANY_SUSPECT.test(text) ? text.replace(FORBIDDEN, '') : text;
}
