/**
 * Markdown file text -> front-matter data, the line of every top-level key, and the body.
 *
 * gray-matter splits the file. It ends the front matter at the first line that merely starts with
 * `---`, so that line is checked first: it must be exactly `---` (trailing spaces allowed), or the
 * file is refused, and the split always matches what the messages and line numbers describe.
 *
 * The YAML is read by the `yaml` package with its YAML 1.2 core schema, which has no timestamp
 * type: `date: 2019-09-12 07:47:00` stays the string the editor wrote instead of becoming a Date
 * read as UTC. Explicit tags outside the core schema (`!!timestamp`, `!!binary`, `!!set`, custom
 * `!tags`) are refused, since the package would otherwise still honour some of them. Merge keys
 * (`<<: *defaults`) are honoured, as most YAML tools do.
 */
import matter from 'gray-matter';
import { LineCounter, parseDocument, visit, isAlias, isCollection, isMap, isScalar, isSeq, type Document, type Node, type ParsedNode } from 'yaml';

export interface FrontMatter {
  data: Record<string, unknown>;
  /** 1-based line in the file of each top-level key (a merged key: the line of its `<<`). */
  keyLines: Map<string, number>;
  /**
   * Lines inside top-level values, two levels deep: of each list item and each key of a mapping,
   * by path (`innerPath('editions', 0, 'title')`). Values brought in by `<<` or an alias are absent.
   */
  innerLines?: Map<string, number>;
  body: string;
  /** 1-based line in the file where the body starts. */
  bodyLine: number;
}

/** The key of a place inside a value in `FrontMatter.innerLines`. */
export function innerPath(...parts: Array<string | number>): string {
  return parts.join('\0');
}

export interface SourceProblem {
  line: number;
  message: string;
}

export type FrontMatterResult = { ok: true; value: FrontMatter } | { ok: false; problems: SourceProblem[] };

interface YamlResult {
  data: Record<string, unknown>;
  keyLines: Map<string, number>;
  innerLines: Map<string, number>;
  problems: SourceProblem[];
}

const DELIMITER = /^---[ \t]*$/;
const CORE_TAGS = new Set(['tag:yaml.org,2002:str', 'tag:yaml.org,2002:int', 'tag:yaml.org,2002:float', 'tag:yaml.org,2002:bool', 'tag:yaml.org,2002:null', 'tag:yaml.org,2002:map', 'tag:yaml.org,2002:seq']);

export function parseFrontMatter(text: string): FrontMatterResult {
  // One newline convention (CRLF and lone CR become LF) before anything counts lines.
  const source = (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text).replace(/\r\n?/g, '\n');
  const lines = source.split('\n');
  const first = lines[0] ?? '';
  if (!DELIMITER.test(first)) {
    const message = first.startsWith('---')
      ? `front matter must open with a line of exactly "---" (found ${JSON.stringify(first.slice(0, 40))})`
      : 'missing front matter: the file must start with a "---" line, the YAML keys, and a closing "---" line';
    return { ok: false, problems: [{ line: 1, message }] };
  }
  const closing = lines.findIndex((line, i) => i > 0 && line.startsWith('---'));
  if (closing === -1) {
    return { ok: false, problems: [{ line: 1, message: 'front matter is not closed: add a line "---" after the last key' }] };
  }
  if (!DELIMITER.test(lines[closing] ?? '')) {
    return {
      ok: false,
      problems: [{ line: closing + 1, message: 'a line starting with "---" ends the front matter: write "---" alone to close it, or indent this line' }],
    };
  }
  let yaml: YamlResult | undefined;
  const closingStart = lines.slice(0, closing).reduce((offset, line) => offset + line.length + 1, 0);
  const afterClosing = closingStart + '---'.length;
  // gray-matter is given the front matter alone: it looks its input up as a property name (its
  // cache), which for a whole article cost as much as reading the YAML. Options are always passed:
  // without them it caches results by text and hands out the same mutable data object for
  // identical files.
  matter(source.slice(0, afterClosing), {
    language: 'yaml',
    engines: {
      yaml: (yamlText: string): object => {
        // gray-matter starts the text with the newline that ends the opening line: YAML line N is file line N.
        yaml = readYaml(yamlText);
        return yaml.data;
      },
      javascript: refuseEngine,
      js: refuseEngine,
      json: refuseEngine,
      coffee: refuseEngine,
      toml: refuseEngine,
    },
  });
  if (yaml && yaml.problems.length > 0) return { ok: false, problems: yaml.problems };
  // The body starts on the line after the closing "---" (blanks after it on its line are not the body).
  const rest = source.slice(source.charCodeAt(afterClosing) === 0x0a ? afterClosing + 1 : afterClosing);
  return {
    ok: true,
    value: {
      data: yaml?.data ?? {},
      keyLines: yaml?.keyLines ?? new Map(),
      innerLines: yaml?.innerLines ?? new Map(),
      body: rest.replace(/^[ \t]+\n/, ''),
      bodyLine: closing + 2,
    },
  };
}

/**
 * A file that is all YAML (`_authors.yml`) -> its top-level mapping, read by the rules of front
 * matter (core schema, no custom tags, unique keys); the body is empty.
 */
export function parseYamlFile(text: string): FrontMatterResult {
  const source = (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text).replace(/\r\n?/g, '\n');
  const yaml = readYaml(source);
  if (yaml.problems.length > 0) return { ok: false, problems: yaml.problems };
  return { ok: true, value: { data: yaml.data, keyLines: yaml.keyLines, innerLines: yaml.innerLines, body: '', bodyLine: 1 } };
}

/** The delimiter check above leaves no way to name another language; this is the second lock. */
function refuseEngine(): never {
  throw new Error('only YAML front matter is accepted');
}

function readYaml(yamlText: string): YamlResult {
  const lineCounter = new LineCounter();
  const doc = parseDocument(yamlText, {
    lineCounter,
    schema: 'core',
    uniqueKeys: true,
    merge: true,
    prettyErrors: false,
  });
  const fileLine = (offset: number) => lineCounter.linePos(offset).line;
  const problems: SourceProblem[] = [];
  const yamlLines = yamlText.split('\n');
  for (const e of [...doc.errors, ...doc.warnings]) {
    const unclosed = e.code === 'MISSING_CHAR' && /^Missing closing/.test(e.message) ? unclosedQuote(yamlLines) : undefined;
    const line = unclosed ?? fileLine(e.pos[0]);
    const message = `YAML: ${e.message.split('\n')[0]}${quotingHint(yamlLines[line - 1] ?? '')}`;
    // One mistake can make the parser say several things about its line: the first says it best.
    if (!problems.some((p) => p.line === line)) problems.push({ line, message });
  }
  const keyLines = new Map<string, number>();
  const innerLines = new Map<string, number>();
  if (problems.length > 0) return { data: {}, keyLines, innerLines, problems };
  problems.push(...unsupportedNodes(doc, fileLine));
  if (problems.length > 0) return { data: {}, keyLines, innerLines, problems };

  const contents = doc.contents;
  if (contents === null || (isScalar(contents) && contents.value === null)) return { data: {}, keyLines, innerLines, problems };
  if (!isMap(contents)) {
    const line = contents.range ? fileLine(contents.range[0]) : 2;
    return { data: {}, keyLines, innerLines, problems: [{ line, message: 'front matter must be YAML "key: value" lines, not a list or a single value' }] };
  }
  const merged: Array<[Node, number]> = [];
  for (const pair of contents.items) {
    if (!isScalar(pair.key) || !pair.key.range) continue;
    const line = fileLine(pair.key.range[0]);
    // With merging on, the parser gives a `<<` key a symbol as its value.
    if (typeof pair.key.value === 'symbol') merged.push([pair.value as Node, line]);
    else {
      keyLines.set(String(pair.key.value), line);
      recordInnerLines(pair.value, [String(pair.key.value)], 2, fileLine, innerLines);
    }
  }
  // Keys brought in by `<<` are reported at the `<<` line; keys written out win, as in YAML.
  for (const [value, line] of merged) {
    for (const source of isSeq(value) ? value.items : [value]) {
      const map = isAlias(source) ? source.resolve(doc) : source;
      if (!isMap(map)) continue;
      for (const pair of map.items) {
        const key = isScalar(pair.key) ? String(pair.key.value) : undefined;
        if (key !== undefined && !keyLines.has(key)) keyLines.set(key, line);
      }
    }
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    return { data: {}, keyLines, innerLines, problems: [{ line: 2, message: `YAML: ${(error as Error).message}` }] };
  }
  return { data: data as Record<string, unknown>, keyLines, innerLines, problems };
}

/** `key: value` on one line, the value plain (not quoted, not a list or a mapping in brackets). */
const PLAIN_PAIR = /^(\s*(?:- )?)([^\s"'#?:{[\]}&*!|>%@`,-][^:#]*?):[ \t]+(\S.*?)[ \t]*$/;

/** Plain text YAML reads as something else: a ": " (a mapping), or a first character YAML reserves. */
const NEEDS_QUOTES = /: |:$|^[[\]{}@`%*&!|>"']|^- /;

/**
 * When a line whose value YAML refused reads `key: text` and the text needs quotes, how to write
 * it. A headline such as `title: Colon: in title` is the usual case (a ": " in a plain value
 * starts a mapping); so are values starting with `[`, `@`, `` ` ``, `%`, `*`, `&`, `!`, `|`, `>`,
 * `- ` or a quote that does not end the value.
 */
function quotingHint(line: string): string {
  const match = PLAIN_PAIR.exec(line);
  if (!match) return '';
  const [, indent = '', key = '', value = ''] = match;
  if (!NEEDS_QUOTES.test(value)) return '';
  const written = (text: string) => `${indent}${key}: ${text}`.trim();
  const opening = value[0] === '"' || value[0] === "'" ? value[0] : undefined;
  if (opening && value.indexOf(opening, 1) === -1) return ` (close the quote: ${written(`${value}${opening}`)})`;
  // An unclosed list or mapping was meant as one.
  if (value[0] === '[' && !value.includes(']')) return ` (close the list: ${written(`${value}]`)})`;
  if (value[0] === '{' && !value.includes('}')) return ` (close the mapping: ${written(`${value}}`)})`;
  if (opening && value.endsWith(opening)) return '';
  const quoted = value.includes('"') && !value.includes("'") ? `'${value}'` : JSON.stringify(value);
  return ` (put the value in quotes: ${written(quoted)})`;
}

/** The line of the last value that opens a quote and does not close it on its line. */
function unclosedQuote(lines: readonly string[]): number | undefined {
  let found: number | undefined;
  lines.forEach((line, i) => {
    const value = /^\s*(?:- )?[^\s"'#][^:#]*?:[ \t]+(["'])(.*)$/.exec(line);
    if (value && !(value[2] ?? '').trimEnd().endsWith(value[1] ?? '')) found = i + 1;
  });
  return found;
}

/** The line of each list item and mapping key in `value`, `depth` levels down (see FrontMatter.innerLines). */
function recordInnerLines(value: unknown, path: Array<string | number>, depth: number, fileLine: (offset: number) => number, lines: Map<string, number>): void {
  if (depth === 0) return;
  if (isSeq(value)) {
    value.items.forEach((item, i) => {
      const range = isScalar(item) || isCollection(item) ? item.range : undefined;
      if (range) lines.set(innerPath(...path, i), fileLine(range[0]));
      recordInnerLines(item, [...path, i], depth - 1, fileLine, lines);
    });
  } else if (isMap(value)) {
    for (const pair of value.items) {
      if (!isScalar(pair.key) || !pair.key.range || typeof pair.key.value === 'symbol') continue;
      const key = String(pair.key.value);
      lines.set(innerPath(...path, key), fileLine(pair.key.range[0]));
      recordInnerLines(pair.value, [...path, key], depth - 1, fileLine, lines);
    }
  }
}

/** Explicit tags outside the core schema, and keys that are lists or mappings. */
function unsupportedNodes(doc: Document.Parsed<ParsedNode>, fileLine: (offset: number) => number): SourceProblem[] {
  const problems: SourceProblem[] = [];
  const lineOf = (node: unknown) => (isScalar(node) || isCollection(node) ? fileLine(node.range?.[0] ?? 0) : 2);
  visit(doc, {
    Pair(_, pair) {
      if (isCollection(pair.key)) problems.push({ line: lineOf(pair.key), message: 'YAML: a key must be plain text, not a list or a mapping' });
    },
    Node(_, node) {
      if ((isScalar(node) || isCollection(node)) && node.tag !== undefined && !CORE_TAGS.has(node.tag)) {
        problems.push({ line: lineOf(node), message: `YAML: the tag ${node.tag.replace('tag:yaml.org,2002:', '!!')} is not supported in front matter; write the value as text` });
      }
    },
  });
  return problems;
}
