/**
 * fast-check arbitraries for hostile articles: text full of what breaks feeds and pages, written
 * into YAML in every style an editor, a script or an import might use, and folder and file names
 * that URLs must carry. Each generated article knows what must become of it: served with known
 * values, or refused on known lines.
 */
import fc from 'fast-check';
import { parse, stringify } from 'yaml';

// ---------------------------------------------------------------------------------------------
// Text

const SCRIPTS = [
  '<script>alert(1)</script>', '</title><script>alert(1)</script>', '<img src=x onerror=alert(1)>', '" onmouseover="alert(1)',
  "' onfocus='alert(1)", 'javascript:alert(1)', 'JaVaScRiPt:alert(1)', 'vbscript:msgbox(1)', 'data:text/html,<script>alert(1)</script>',
  '<!-- comment -->', '<!--', '-->', ']]>', '<![CDATA[x]]>', '<?xml version="1.0"?>', '<!DOCTYPE x>', '&amp;', '&lt;', '&#0;', '&#x1;',
  '&nbsp;', '&', '<', '>', '"', "'", '<iframe src="//evil.example">', '<base href="//evil.example/">', '<svg onload=alert(1)>',
  '{{7*7}}', '${7*7}', '%s%n', '\\', '\\u0000', '%00', '</', '<a href="javascript:alert(1)">x</a>',
];
const UNICODE = [
  '\u200F', '\u200E', '\u202E', '\u2067', '\u2069', '\u200B', '\u200D', '\uFEFF', '\u00A0', '\u2028', '\u2029', '\u0085',
  '中文', '漢字かな', '한국어', 'عربي', 'עברית', 'ελληνικά', 'e\u0301', '\u00E9', '😀', '👩‍👩‍👧‍👦', '🏳️‍🌈', '\u{1D54F}', '\u{10FFFD}',
  '\uFDD0', '\u0080', '\u009B', '\u007F', 'Ω', 'ﬁ', '\u0301',
];
const FORBIDDEN = ['\u0000', '\u0001', '\u0008', '\u000B', '\u000C', '\u001B', '\u001F', '\uFFFE', '\uFFFF', '\uD800', '\uDBFF', '\uDC00', '\uDFFF'];
const WHITESPACE = ['\n', '\r\n', '\r', '\t', ' ', '  ', '\n\n'];
const YAMLISH = [': ', ' #', '- ', '---', '...', '*a', '&a', '!tag', '|', '>', '? ', '{', '}', '[', ']', ',', '@', '`', '%YAML', '<<'];

const piece: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 8 }) },
  { weight: 2, arbitrary: fc.constantFrom(...SCRIPTS) },
  { weight: 2, arbitrary: fc.constantFrom(...UNICODE) },
  { weight: 1, arbitrary: fc.constantFrom(...FORBIDDEN) },
  { weight: 1, arbitrary: fc.constantFrom(...WHITESPACE) },
  { weight: 1, arbitrary: fc.constantFrom(...YAMLISH) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 4 }) },
);

/** Text an article might carry in a title, a summary, a tag or a name. */
export const hostileText: fc.Arbitrary<string> = fc.array(piece, { minLength: 1, maxLength: 10 }).map((parts) => parts.join(''));

/** The documented cleaning, restated: forbidden XML characters and lone surrogates go, CRLF/CR -> LF. */
export function cleaned(text: string): string {
  return text
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '')
    .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '')
    .replace(/\r\n?/g, '\n');
}

/** Titles, names and tags: cleaned, then line breaks and tabs (with spaces around them) become one space. */
export function cleanedLine(text: string): string {
  return cleaned(text).replace(/[ ]*[\t\n\u0085\u2028\u2029][\t\n\u0085\u2028\u2029 ]*/g, ' ');
}

// ---------------------------------------------------------------------------------------------
// YAML

/** A YAML double-quoted scalar that reads back as exactly `text`, lone surrogates included. */
export function doubleQuoted(text: string): string {
  let out = '"';
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    const code = c.charCodeAt(0);
    if (c === '"' || c === '\\') out += `\\${c}`;
    else if (code < 0x20 || (code >= 0x7f && code <= 0x9f) || (code >= 0xd800 && code <= 0xdfff) || code === 0xfeff || code >= 0xfffe || code === 0x2028 || code === 0x2029) {
      out += `\\u${code.toString(16).padStart(4, '0')}`;
    } else out += c;
  }
  return `${out}"`;
}

export type YamlStyle = 'double' | 'PLAIN' | 'QUOTE_SINGLE' | 'QUOTE_DOUBLE' | 'BLOCK_LITERAL' | 'BLOCK_FOLDED';
export const yamlStyle: fc.Arbitrary<YamlStyle> = fc.constantFrom('double', 'PLAIN', 'QUOTE_SINGLE', 'QUOTE_DOUBLE', 'BLOCK_LITERAL', 'BLOCK_FOLDED');

/**
 * `key: value` as YAML lines in the given style; the key is on the first line. The yaml package
 * writes the styles; where its writing does not read back as the value (it writes `\\ ` for a
 * space after some escapes), the value is written double-quoted by hand instead.
 */
export function yamlEntry(key: string, value: unknown, style: YamlStyle): string[] {
  const byHand = (v: unknown) => (typeof v === 'string' ? doubleQuoted(v) : `[${(v as string[]).map(doubleQuoted).join(', ')}]`);
  if (style === 'double') return [`${key}: ${byHand(value)}`];
  const text = stringify({ [key]: value }, { defaultStringType: style, defaultKeyType: 'PLAIN', lineWidth: 0 });
  const readsBack = JSON.stringify((parse(text) as Record<string, unknown>)[key]) === JSON.stringify(value);
  return readsBack ? text.replace(/\n$/, '').split('\n') : [`${key}: ${byHand(value)}`];
}

// ---------------------------------------------------------------------------------------------
// Names of folders and files

const NAME_PIECES = [
  'news', 'a', 'Z9', ' ', '  ', '%', '%20', '%2F', '%zz', '#', '?', '&', '+', '=', ';', ',', "'", '"', '<', '>', '(', ')', '!', '~', '*',
  ':', '|', '@', '$', '[', ']', '{', '}', '^', '`', '\u200F', '\u202E', '😀', '👩‍👩‍👧', '中文', 'عربي', 'e\u0301', '\u00E9', 'ü', '<script>', '-',
  '\u0001', '\u001B', '\n', '\t', '\r', '\u0085', '\u2028', '\uFEFF', '\uFFFE',
];

/** A folder or file name: anything a file system allows that must reach a URL and back (reserved names aside). */
export const hostileName: fc.Arbitrary<string> = fc
  .array(fc.constantFrom(...NAME_PIECES), { minLength: 1, maxLength: 5 })
  .map((parts) => parts.join(''))
  .filter((name) => !/^[._]/.test(name) && name.trim() !== '' && Buffer.byteLength(`${name}.md`) < 200 && !['page', 'rss.xml', 'atom.xml', 'feed.json', 'opml.xml', 'feed.css', 'style.css', 'index.html', 'tags', 'authors', 'editions'].includes(name));

// ---------------------------------------------------------------------------------------------
// Dates

export interface GeneratedDate {
  text: string;
  epochMs: number;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/**
 * A timestamp in one of the accepted forms, with the instant it names. Years 1900-2100, where
 * every reader's date parser agrees; zone-local times only after 1992, when Asia/Shanghai (the
 * generated site's zone) has been +08:00 without DST.
 */
export const generatedDate: fc.Arbitrary<GeneratedDate> = fc
  .record({
    ms: fc.integer({ min: Date.UTC(1900, 0, 1), max: Date.UTC(2100, 11, 31) }),
    form: fc.constantFrom('zone', 'Z', 'offset', 'rfc2822'),
    offsetMinutes: fc.integer({ min: -18 * 60, max: 18 * 60 }),
    seconds: fc.boolean(),
    millis: fc.boolean(),
    separator: fc.constantFrom(' ', 'T'),
  })
  .map(({ ms, form, offsetMinutes, seconds, millis, separator }) => {
    const useZone = form === 'zone' && ms >= Date.UTC(1992, 0, 1);
    const offset = useZone ? 480 : form === 'Z' ? 0 : form === 'rfc2822' ? offsetMinutes - (offsetMinutes % 15) : offsetMinutes;
    let instant = ms - (ms % 1000);
    if (!seconds) instant -= instant % 60_000;
    if (millis && seconds && form !== 'rfc2822') instant += ms % 1000 || 1;
    const wall = new Date(instant + offset * 60_000);
    const date = `${pad(wall.getUTCFullYear(), 4)}-${pad(wall.getUTCMonth() + 1)}-${pad(wall.getUTCDate())}`;
    const time = `${pad(wall.getUTCHours())}:${pad(wall.getUTCMinutes())}${seconds ? `:${pad(wall.getUTCSeconds())}` : ''}${millis && seconds && form !== 'rfc2822' ? `.${pad(wall.getUTCMilliseconds(), 3)}` : ''}`;
    const sign = offset < 0 ? '-' : '+';
    const offsetText = (sep: string) => `${sign}${pad(Math.floor(Math.abs(offset) / 60))}${sep}${pad(Math.abs(offset) % 60)}`;
    if (form === 'rfc2822') {
      const day = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'][wall.getUTCDay()];
      const month = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][wall.getUTCMonth()];
      return { text: `${day}, ${pad(wall.getUTCDate())} ${month} ${wall.getUTCFullYear()} ${time} ${offsetText('')}`, epochMs: instant };
    }
    const zone = useZone ? '' : form === 'Z' ? 'Z' : offsetText(':');
    return { text: `${date}${separator}${time}${zone}`, epochMs: instant };
  });

// ---------------------------------------------------------------------------------------------
// URLs

/** What might be written as `link` or `image`: odd but usable, relative, or now and then not http(s) at all. */
export const oddUrl: fc.Arbitrary<string> = fc.oneof(
  { weight: 5, arbitrary: fc.webUrl({ withQueryParameters: true, withFragments: true }) },
  {
    weight: 4,
    arbitrary: fc.constantFrom(
      'https://example.com/a b/c"d\'e<f>g',
      'https://例え.jp/パス?q=値#片',
      'http://[::1]:8080/x',
      'https://user:pass@example.com/',
      'HTTPS://EXAMPLE.COM/UPPER',
      'https://example.com/%zz%',
      'https://example.com/a|b^c[d]?q={x}#f#g`',
      'https://example.com/\u202Eevil',
      '//cdn.example.com/x.png',
      '/absolute/path',
      'relative/pic.png',
      '../up.jpg',
      '?query=1',
      '#fragment',
      '  https://example.com/padded  ',
      'https://example.com/a\tb\nc',
      'java\tscript:alert(1)',
      'https://example.com/😀/中文.png',
      'http://a.example#',
    ),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      'javascript:alert(1)',
      'JAVASCRIPT:alert(1)',
      'data:text/html,<script>alert(1)</script>',
      'vbscript:x',
      'mailto:a@example.com',
      'ftp://example.com/x',
      'https://',
      'https://exa mple.com/',
      'http://example.com:99999/',
    ),
  },
);

/** A custom `id`: usable URIs, with hostile characters in their opaque part, and now and then unusable ones. */
export const oddId: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.uuid().map((u) => `urn:uuid:${u}`) },
  { weight: 4, arbitrary: hostileText.map((t) => `tag:example.com,2019:${t.replace(/[\s<>"{}|\\^`]/g, '')}x`) },
  { weight: 2, arbitrary: fc.constantFrom('tag:example.com,2019:中文', 'urn:isbn:0451450523', 'https://example.com/post?id=1&x=2', 'tag:example.com,2019:dup', 'tag:example.com,2019:dup') },
  { weight: 1, arbitrary: fc.constantFrom('javascript:alert(1)', 'data:,x', 'no-scheme', 'tag:has space', 'x:<y>') },
);
