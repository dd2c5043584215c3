/**
 * XML escaping. Text is escaped rather than wrapped in CDATA, so `]]>` in an article needs no
 * special case; characters XML forbids never get here (content/text.ts removes them on the way in).
 */
const ATTRIBUTE_SPECIALS = /[&<>"\t\n\r]/g;
const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  '\t': '&#9;',
  '\n': '&#10;',
  '\r': '&#13;',
};

const replaceEntity = (c: string) => ENTITIES[c] ?? c;

/** Three native passes beat one regular expression with a callback by about a third here. */
export function escapeText(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

const HTML_SPECIALS = /[&<>"']/g;
const HTML_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text and attribute values of HTML alike (quotes included). */
export function escapeHtml(text: string): string {
  return text.replace(HTML_SPECIALS, (c) => HTML_ENTITIES[c] ?? c);
}

export function escapeAttribute(text: string): string {
  return text.replace(ATTRIBUTE_SPECIALS, replaceEntity);
}

/** `<name attr="value">text</name>`, or nothing when text is undefined. */
export function element(name: string, text: string | undefined, attributes: Record<string, string | undefined> = {}): string {
  if (text === undefined) return '';
  return `<${name}${attributeList(attributes)}>${escapeText(text)}</${name}>`;
}

export function emptyElement(name: string, attributes: Record<string, string | undefined>): string {
  return `<${name}${attributeList(attributes)}/>`;
}

function attributeList(attributes: Record<string, string | undefined>): string {
  let out = '';
  for (const [key, value] of Object.entries(attributes)) {
    if (value !== undefined) out += ` ${key}="${escapeAttribute(value)}"`;
  }
  return out;
}

export const XML_DECLARATION = '<?xml version="1.0" encoding="utf-8"?>\n';

export function stylesheetInstruction(href: string): string {
  return `<?xml-stylesheet type="text/css" href="${escapeAttribute(href)}"?>\n`;
}
