/**
 * Markdown file text -> front-matter data, the line of every top-level key, and the body.
 *
 * gray-matter splits the file; the YAML is read by the `yaml` package with its YAML 1.2 core schema,
 * which has no timestamp type: `date: 2019-09-12 07:47:00` stays the string the editor wrote instead
 * of becoming a Date read as UTC (what gray-matter's default js-yaml engine does).
 */
import matter from 'gray-matter';
import { LineCounter, parseDocument, isMap, isScalar } from 'yaml';

export interface FrontMatter {
  data: Record<string, unknown>;
  /** 1-based line in the file of each top-level key. */
  keyLines: Map<string, number>;
  body: string;
  /** 1-based line in the file where the body starts. */
  bodyLine: number;
}

export interface SourceProblem {
  line: number;
  message: string;
}

export type FrontMatterResult = { ok: true; value: FrontMatter } | { ok: false; problems: SourceProblem[] };

interface YamlResult {
  data: Record<string, unknown>;
  keyLines: Map<string, number>;
  problems: SourceProblem[];
}

const refuse = {
  parse(): never {
    throw new Error('only YAML front matter is accepted');
  },
};

/** Front matter must open on line 1 with `---` alone and close with `---` alone on a later line. */
const OPENING = /^---[ \t]*\r?\n/;
const CLOSING = /^---[ \t]*$/m;

export function parseFrontMatter(text: string): FrontMatterResult {
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (!OPENING.test(source)) {
    const first = source.split(/\r?\n/, 1)[0] ?? '';
    const message = first.startsWith('---')
      ? `front matter must open with a line of exactly "---" (found "${first.slice(0, 40)}")`
      : 'missing front matter: the file must start with a "---" line, the YAML keys, and a closing "---" line';
    return { ok: false, problems: [{ line: 1, message }] };
  }
  const afterOpening = source.replace(OPENING, '');
  const closing = CLOSING.exec(afterOpening);
  if (!closing) {
    return { ok: false, problems: [{ line: 1, message: 'front matter is not closed: add a line "---" after the last key' }] };
  }

  // Options are always passed: without them gray-matter caches results by content and shares
  // the returned object between identical inputs.
  let yamlResult: YamlResult | undefined;
  const file = matter(source, {
    language: 'yaml',
    engines: {
      yaml: {
        parse: (yamlText: string): object => {
          yamlResult = readYaml(yamlText);
          return yamlResult.data;
        },
      },
      js: refuse,
      javascript: refuse,
      coffee: refuse,
      json: refuse,
      toml: refuse,
    },
  });
  const result = yamlResult ?? { data: {}, keyLines: new Map<string, number>(), problems: [] };
  if (result.problems.length > 0) return { ok: false, problems: result.problems };

  const frontMatterLines = countLines(afterOpening.slice(0, closing.index)) + 2;
  return {
    ok: true,
    value: {
      data: result.data,
      keyLines: result.keyLines,
      body: normalizeNewlines(file.content),
      bodyLine: frontMatterLines + 1,
    },
  };
}

/**
 * gray-matter hands over the YAML starting with the newline that ends the opening `---` line, so
 * YAML line N is file line N.
 */
function readYaml(yamlText: string): YamlResult {
  const lineCounter = new LineCounter();
  const doc = parseDocument(yamlText, {
    lineCounter,
    schema: 'core',
    uniqueKeys: true,
    merge: false,
    prettyErrors: false,
  });
  const fileLine = (offset: number) => lineCounter.linePos(offset).line;
  const problems: SourceProblem[] = [...doc.errors, ...doc.warnings].map((e) => ({
    line: fileLine(e.pos[0]),
    message: `YAML: ${e.message.split('\n')[0]}`,
  }));
  const keyLines = new Map<string, number>();
  if (problems.length > 0) return { data: {}, keyLines, problems };

  const contents = doc.contents;
  if (contents === null || (isScalar(contents) && contents.value === null)) return { data: {}, keyLines, problems };
  if (!isMap(contents)) {
    return { data: {}, keyLines, problems: [{ line: 2, message: 'front matter must be YAML "key: value" lines' }] };
  }
  for (const pair of contents.items) {
    if (isScalar(pair.key) && pair.key.range) keyLines.set(String(pair.key.value), fileLine(pair.key.range[0]));
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    return { data: {}, keyLines, problems: [{ line: 2, message: `YAML: ${(error as Error).message}` }] };
  }
  return { data: data as Record<string, unknown>, keyLines, problems };
}

function countLines(text: string): number {
  let lines = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lines++;
  return lines;
}

function normalizeNewlines(text: string): string {
  return text.includes('\r') ? text.replace(/\r\n?/g, '\n') : text;
}
