/**
 * A strict XML 1.0 + Namespaces well-formedness checker that also builds a small tree, for the
 * structural checks of RSS, Atom and OPML. It runs in-process, so every generated case is checked
 * without the cost of a libxml2 worker; libxml2 (xmllint-wasm, see validators.ts) checks the same
 * documents again in batches. No DTDs: a feed with one is reported, since feedgen never writes one.
 */

export const XML_NAMESPACE = 'http://www.w3.org/XML/1998/namespace';
const XMLNS_NAMESPACE = 'http://www.w3.org/2000/xmlns/';

export interface XmlElement {
  /** The name as written, e.g. `atom:link`. */
  name: string;
  local: string;
  /** Namespace URI, '' for none. */
  ns: string;
  /** Attribute values after XML attribute-value normalization, keyed by the name as written. */
  attributes: Map<string, string>;
  children: Array<XmlElement | string>;
  line: number;
}

export class XmlSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(`line ${line}: ${message}`);
  }
}

/** Any code point outside the XML 1.0 `Char` production (lone surrogates included). */
const NOT_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;
const NAME_START = ':A-Z_a-z\\u00C0-\\u00D6\\u00D8-\\u00F6\\u00F8-\\u02FF\\u0370-\\u037D\\u037F-\\u1FFF\\u200C\\u200D\\u2070-\\u218F\\u2C00-\\u2FEF\\u3001-\\uD7FF\\uF900-\\uFDCF\\uFDF0-\\uFFFD\\u{10000}-\\u{EFFFF}';
const NAME_REST = `${NAME_START}\\-.0-9\\u00B7\\u0300-\\u036F\\u203F\\u2040`;
const NAME = new RegExp(`[${NAME_START}][${NAME_REST}]*`, 'uy');
const WHITESPACE = /[ \t\n]*/y;
const XML_DECLARATION = /<\?xml[ \t\n]+version[ \t\n]*=[ \t\n]*(["'])1\.[0-9]+\1([ \t\n]+encoding[ \t\n]*=[ \t\n]*(["'])[A-Za-z][A-Za-z0-9._-]*\3)?([ \t\n]+standalone[ \t\n]*=[ \t\n]*(["'])(?:yes|no)\5)?[ \t\n]*\?>/y;
const PREDEFINED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** Code point position of the first character XML forbids, or -1. */
export function firstForbiddenChar(text: string): number {
  const match = NOT_XML_CHAR.exec(text);
  return match ? match.index : -1;
}

export function parseXml(source: string): XmlElement {
  const forbidden = firstForbiddenChar(source);
  if (forbidden !== -1) {
    const code = source.codePointAt(forbidden) ?? 0;
    throw new XmlSyntaxError(`character U+${code.toString(16).toUpperCase().padStart(4, '0')} is not allowed in XML`, lineOf(source, forbidden));
  }
  return new Parser(source.replace(/\r\n?/g, '\n')).document();
}

function lineOf(text: string, index: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < index; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

class Parser {
  private pos = 0;
  /** The line of `linePos`, counted on from there: elements come in order, so counting stays linear. */
  private linePos = 0;
  private line = 1;

  constructor(private readonly text: string) {}

  private lineHere(): number {
    for (let i = this.text.indexOf('\n', this.linePos); i !== -1 && i < this.pos; i = this.text.indexOf('\n', i + 1)) this.line++;
    this.linePos = this.pos;
    return this.line;
  }

  document(): XmlElement {
    if (this.text.startsWith('<?xml')) {
      XML_DECLARATION.lastIndex = 0;
      if (!XML_DECLARATION.exec(this.text)) this.fail('malformed XML declaration');
      this.pos = XML_DECLARATION.lastIndex;
    }
    this.misc();
    if (this.text.startsWith('<!DOCTYPE', this.pos)) this.fail('a DOCTYPE (feedgen never writes one)');
    if (this.text[this.pos] !== '<') this.fail('expected the root element');
    const root = this.element(new Map([['xml', XML_NAMESPACE]]));
    this.misc();
    if (this.pos !== this.text.length) this.fail('content after the root element');
    return root;
  }

  private fail(message: string): never {
    throw new XmlSyntaxError(message, lineOf(this.text, this.pos));
  }

  private skipWhitespace(): boolean {
    WHITESPACE.lastIndex = this.pos;
    WHITESPACE.exec(this.text);
    const moved = WHITESPACE.lastIndex > this.pos;
    this.pos = WHITESPACE.lastIndex;
    return moved;
  }

  private name(): string {
    NAME.lastIndex = this.pos;
    const match = NAME.exec(this.text);
    if (!match) this.fail('expected a name');
    this.pos = NAME.lastIndex;
    return match[0];
  }

  private expect(literal: string): void {
    if (!this.text.startsWith(literal, this.pos)) this.fail(`expected "${literal}"`);
    this.pos += literal.length;
  }

  /** Comments, processing instructions and whitespace outside the root element. */
  private misc(): void {
    for (;;) {
      this.skipWhitespace();
      if (this.text.startsWith('<!--', this.pos)) this.comment();
      else if (this.text.startsWith('<?', this.pos)) this.processingInstruction();
      else return;
    }
  }

  private comment(): void {
    const end = this.text.indexOf('-->', this.pos + 4);
    if (end === -1) this.fail('unclosed comment');
    if (this.text.slice(this.pos + 4, end).includes('--') || this.text[end - 1] === '-') this.fail('"--" inside a comment');
    this.pos = end + 3;
  }

  private processingInstruction(): void {
    this.pos += 2;
    const target = this.name();
    if (target.toLowerCase() === 'xml') this.fail('XML declaration not at the start of the document');
    const end = this.text.indexOf('?>', this.pos);
    if (end === -1) this.fail('unclosed processing instruction');
    if (end > this.pos && !/^[ \t\n]/.test(this.text[this.pos] ?? '')) this.fail('processing instruction target not followed by space');
    this.pos = end + 2;
  }

  private reference(): string {
    const end = this.text.indexOf(';', this.pos);
    if (end === -1 || end - this.pos > 12) this.fail('"&" that does not start a reference');
    const body = this.text.slice(this.pos + 1, end);
    let value: string | undefined;
    if (/^#[0-9]+$/.test(body)) value = codePointText(Number(body.slice(1)));
    else if (/^#x[0-9A-Fa-f]+$/.test(body)) value = codePointText(Number.parseInt(body.slice(2), 16));
    else value = PREDEFINED[body];
    if (value === undefined) this.fail(`undefined or invalid reference "&${body};"`);
    this.pos = end + 1;
    return value;
  }

  private attributeValue(): string {
    const quote = this.text[this.pos];
    if (quote !== '"' && quote !== "'") this.fail('attribute value must be quoted');
    this.pos++;
    let value = '';
    for (;;) {
      const c = this.text[this.pos];
      if (c === undefined) this.fail('unclosed attribute value');
      if (c === quote) break;
      if (c === '<') this.fail('"<" in an attribute value');
      if (c === '&') value += this.reference();
      else {
        // Attribute-value normalization: literal white space becomes a space; references do not.
        value += c === '\t' || c === '\n' ? ' ' : c;
        this.pos++;
      }
    }
    this.pos++;
    return value;
  }

  private element(scope: Map<string, string>): XmlElement {
    const line = this.lineHere();
    this.expect('<');
    const name = this.name();
    const attributes = new Map<string, string>();
    for (;;) {
      const spaced = this.skipWhitespace();
      const c = this.text[this.pos];
      if (c === '/' || c === '>') break;
      if (!spaced) this.fail('attributes must be separated by white space');
      const attribute = this.name();
      this.skipWhitespace();
      this.expect('=');
      this.skipWhitespace();
      if (attributes.has(attribute)) this.fail(`attribute "${attribute}" repeated`);
      attributes.set(attribute, this.attributeValue());
    }
    const inner = new Map(scope);
    for (const [attribute, value] of attributes) {
      if (attribute === 'xmlns') inner.set('', value);
      else if (attribute.startsWith('xmlns:')) {
        const prefix = attribute.slice(6);
        if (value === '' || prefix === 'xmlns' || (prefix === 'xml') !== (value === XML_NAMESPACE)) this.fail(`bad namespace declaration ${attribute}`);
        inner.set(prefix, value);
      }
    }
    const resolve = (qualified: string, isAttribute: boolean): { ns: string; local: string } => {
      const parts = qualified.split(':');
      if (parts.length > 2 || parts.some((p) => p === '')) this.fail(`"${qualified}" is not a namespace-well-formed name`);
      if (parts.length === 1) return { ns: isAttribute ? '' : inner.get('') ?? '', local: qualified };
      const [prefix = '', local = ''] = parts;
      if (prefix === 'xmlns') return { ns: XMLNS_NAMESPACE, local };
      const ns = inner.get(prefix);
      if (ns === undefined) this.fail(`namespace prefix "${prefix}" is not declared`);
      return { ns, local };
    };
    const expanded = new Set<string>();
    for (const attribute of attributes.keys()) {
      if (attribute === 'xmlns') continue;
      const { ns, local } = resolve(attribute, true);
      const key = `{${ns}}${local}`;
      if (expanded.has(key)) this.fail(`attribute ${key} repeated`);
      expanded.add(key);
    }
    const { ns, local } = resolve(name, false);
    const element: XmlElement = { name, local, ns, attributes, children: [], line };
    if (this.text.startsWith('/>', this.pos)) {
      this.pos += 2;
      return element;
    }
    this.expect('>');
    let text = '';
    const flush = () => {
      if (text) element.children.push(text);
      text = '';
    };
    for (;;) {
      const c = this.text[this.pos];
      if (c === undefined) this.fail(`element <${name}> is not closed`);
      if (c === '<') {
        if (this.text.startsWith('</', this.pos)) break;
        if (this.text.startsWith('<!--', this.pos)) this.comment();
        else if (this.text.startsWith('<![CDATA[', this.pos)) {
          const end = this.text.indexOf(']]>', this.pos);
          if (end === -1) this.fail('unclosed CDATA section');
          text += this.text.slice(this.pos + 9, end);
          this.pos = end + 3;
        } else if (this.text.startsWith('<?', this.pos)) this.processingInstruction();
        else {
          flush();
          element.children.push(this.element(inner));
        }
      } else if (c === '&') text += this.reference();
      else {
        let end = this.pos;
        while (end < this.text.length && this.text[end] !== '<' && this.text[end] !== '&') end++;
        const chunk = this.text.slice(this.pos, end);
        if (chunk.includes(']]>')) this.fail('"]]>" in character data');
        text += chunk;
        this.pos = end;
      }
    }
    flush();
    this.pos += 2;
    const closing = this.name();
    if (closing !== name) this.fail(`</${closing}> closes <${name}>`);
    this.skipWhitespace();
    this.expect('>');
    return element;
  }
}

function codePointText(code: number): string | undefined {
  if (!Number.isSafeInteger(code) || code > 0x10ffff) return undefined;
  const text = String.fromCodePoint(code);
  return firstForbiddenChar(text) === -1 ? text : undefined;
}

/** Child elements, optionally only those with this namespace and local name. */
export function childElements(element: XmlElement, ns?: string, local?: string): XmlElement[] {
  return element.children.filter(
    (child): child is XmlElement => typeof child !== 'string' && (ns === undefined || child.ns === ns) && (local === undefined || child.local === local),
  );
}

export function childElement(element: XmlElement, ns: string, local: string): XmlElement | undefined {
  return childElements(element, ns, local)[0];
}

/** All text inside the element, descendants included. */
export function textContent(element: XmlElement): string {
  return element.children.map((child) => (typeof child === 'string' ? child : textContent(child))).join('');
}
