/**
 * Typed reading of front-matter values, each problem pinned to the line of its key.
 */
import { innerPath, type FrontMatter } from './frontmatter.js';
import type { Person } from './model.js';
import { closestName } from '../words/closest.js';
import { cleanText, singleLine } from './text.js';
import { httpUrl } from '../urls/http-url.js';

export interface FieldProblem {
  line: number;
  severity: 'error' | 'warning';
  message: string;
}

interface Parent {
  reader: FieldReader;
  /** Put before every message, to say where in the parent's value the problem is. */
  prefix: string;
}

/** Keys a nested mapping's messages name as `podcast.image` or `enclosures[2].type`. */
interface Nesting {
  prefix: string;
  line: number;
  problems: FieldProblem[];
}

export class FieldReader {
  readonly problems: FieldProblem[];
  /** Required keys whose absence a misspelt key explains (see checkKnownKeys). */
  private readonly misspelt = new Set<string>();

  /** `defaultLine`: the line of a key that is not there (a missing required key). */
  constructor(
    private readonly frontMatter: Pick<FrontMatter, 'data' | 'keyLines' | 'innerLines'>,
    private readonly nesting?: Nesting,
    private readonly parent?: Parent,
    private readonly defaultLine = 1,
  ) {
    this.problems = nesting?.problems ?? [];
  }

  line(key: string): number {
    return this.nesting?.line ?? this.frontMatter.keyLines.get(key) ?? this.defaultLine;
  }

  /** How messages name a key: with the path of the mapping it is in. */
  name(key: string): string {
    return `${this.nesting?.prefix ?? ''}${key}`;
  }

  /**
   * A reader of a mapping inside this one (`podcast: {image: …}`), whose problems are this
   * reader's, on the line of the key that holds it (lines are known for top-level keys only).
   */
  nested(name: string, line: number, data: Record<string, unknown>): FieldReader {
    return new FieldReader({ data, keyLines: new Map() }, { prefix: `${name}.`, line, problems: this.problems });
  }

  /**
   * A reader of the mapping at `path` inside this one's values (an item of a list of mappings, an
   * entry of `_authors.yml`). Its problems are this reader's too, each message after `prefix`, on
   * the line of its own key where known, else of the item, else of the top-level key.
   */
  nestedAt(path: [string, ...Array<string | number>], data: Record<string, unknown>, prefix: string): FieldReader {
    const inner = this.frontMatter.innerLines;
    const itemLine = inner?.get(innerPath(...path)) ?? this.line(path[0]);
    const keyLines = new Map(Object.keys(data).map((key): [string, number] => [key, inner?.get(innerPath(...path, key)) ?? itemLine]));
    return new FieldReader({ data, keyLines }, undefined, { reader: this, prefix }, itemLine);
  }

  /** The mapping at `key`, as a nested reader; undefined (with an error) when it is something else. */
  mapping(key: string): FieldReader | undefined {
    if (!this.has(key)) return undefined;
    const value = this.frontMatter.data[key];
    if (!isMapping(value)) {
      this.error(key, `"${this.name(key)}" must be a mapping of keys and values, not ${describe(value)}`);
      return undefined;
    }
    return this.nested(this.name(key), this.line(key), value);
  }

  /** The list at `key`, each item as a nested reader of a mapping; undefined (with an error) if any item is not one. */
  mappingList(key: string): FieldReader[] | undefined {
    if (!this.has(key)) return undefined;
    const value = this.frontMatter.data[key];
    if (!Array.isArray(value)) {
      this.error(key, `"${this.name(key)}" must be a list, not ${describe(value)}`);
      return undefined;
    }
    const readers: FieldReader[] = [];
    for (const [i, item] of value.entries()) {
      const name = `${this.name(key)}[${i + 1}]`;
      if (!isMapping(item)) {
        this.error(key, `every item of "${this.name(key)}" must be a mapping of keys and values; ${name} is ${describe(item)}`);
        return undefined;
      }
      readers.push(this.nested(name, this.line(key), item));
    }
    return readers;
  }

  /** The value as the YAML says it, for shapes the typed readers do not cover. */
  raw(key: string): unknown {
    return this.frontMatter.data[key];
  }

  has(key: string): boolean {
    const value = this.frontMatter.data[key];
    return value !== undefined && value !== null;
  }

  /** The value as the YAML says it, for readers of structured values. */
  value(key: string): unknown {
    return this.frontMatter.data[key];
  }

  error(key: string, message: string): void {
    this.push({ line: this.line(key), severity: 'error', message });
  }

  warn(key: string, message: string): void {
    this.push({ line: this.line(key), severity: 'warning', message });
  }

  private push(problem: FieldProblem): void {
    this.problems.push(problem);
    this.parent?.reader.push({ ...problem, message: `${this.parent.prefix}${problem.message}` });
  }

  /** A warning about the file at a line no key names (the body's). */
  warnAtLine(line: number, message: string): void {
    this.problems.push({ line, severity: 'warning', message });
  }

  get hasErrors(): boolean {
    return this.problems.some((p) => p.severity === 'error');
  }

  /**
   * Warns about keys that are not in `known` (a typo such as `summmary` would otherwise pass
   * silently), naming the known key it is closest to. A misspelt key of `required` that is missing
   * is an error on the misspelt key's line, and explains the missing key: `required` and
   * `requireKey` then say nothing more of it.
   */
  checkKnownKeys(known: readonly string[], required: readonly string[] = []): void {
    for (const key of Object.keys(this.frontMatter.data)) {
      if (known.includes(key)) continue;
      const meant = closestName(key, known, Math.min(2, Math.floor(key.length / 3)));
      if (meant === undefined) {
        this.warn(key, `unknown key "${this.name(key)}" (known keys: ${known.join(', ')})`);
      } else if (required.includes(meant) && !Object.hasOwn(this.frontMatter.data, meant) && !this.misspelt.has(meant)) {
        // The key the typo meant is not written at all (`title:` with no value is reported at its own line).
        this.misspelt.add(meant);
        this.error(key, `unknown key "${this.name(key)}": did you mean "${this.name(meant)}"? ("${this.name(meant)}" is required)`);
      } else {
        this.warn(key, `unknown key "${this.name(key)}": did you mean "${this.name(meant)}"?`);
      }
    }
  }

  /** Reports `message` (default: the key is required) when `key` is missing, unless a misspelling of it was reported. */
  requireKey(key: string, message = `"${this.name(key)}" is required`): boolean {
    if (this.has(key)) return true;
    if (!this.misspelt.has(key)) this.error(key, message);
    return false;
  }

  required(key: string, clean?: (text: string) => string): string | undefined {
    if (!this.requireKey(key)) return undefined;
    return this.text(key, clean);
  }

  /** An http(s) URL, or a path resolved against `base` (the URL of the page that says it). */
  url(key: string, base: string): string | undefined {
    const text = this.text(key);
    if (text === undefined) return undefined;
    const url = httpUrl(text, base);
    if (!url) this.error(key, `"${this.name(key)}" must be an http(s) URL or a path, not "${text}"`);
    return url;
  }

  /** One of `values`, written exactly. */
  oneOf<T extends string>(key: string, values: readonly T[]): T | undefined {
    const value = this.text(key);
    if (value === undefined) return undefined;
    if (!(values as readonly string[]).includes(value)) {
      this.error(key, `"${this.name(key)}" must be one of ${values.join(', ')}, not "${value}"`);
      return undefined;
    }
    return value as T;
  }

  /** Seconds: a whole number, or `H:MM:SS` / `MM:SS` text. */
  duration(key: string): number | undefined {
    if (!this.has(key)) return undefined;
    const value = this.frontMatter.data[key];
    const seconds = typeof value === 'number' ? (Number.isSafeInteger(value) && value >= 0 ? value : undefined) : typeof value === 'string' ? clockSeconds(value) : undefined;
    if (seconds === undefined) this.error(key, `"${this.name(key)}" must be a number of seconds or a time such as 1:02:03 (hours, minutes, seconds), not ${describe(value)}`);
    return seconds;
  }

  email(key: string, whose = `"${this.name(key)}"`): string | undefined {
    if (!this.has(key)) return undefined;
    const value = this.frontMatter.data[key];
    const email = typeof value === 'string' ? cleanText(value).trim() : '';
    if (!EMAIL.test(email)) {
      this.error(key, `${whose} is not an e-mail address`);
      return undefined;
    }
    return email;
  }

  /**
   * A non-empty string; numbers and booleans are refused rather than guessed at. `clean` is
   * `singleLine` for what readers show on one line (titles).
   */
  text(key: string, clean: (text: string) => string = cleanText): string | undefined {
    if (!this.has(key)) return undefined;
    const value = this.frontMatter.data[key];
    if (typeof value !== 'string') {
      this.error(key, `"${this.name(key)}" must be text, not ${describe(value)}${isScalar(value) ? ' (put it in quotes)' : ''}`);
      return undefined;
    }
    const cleaned = clean(value).trim();
    if (cleaned === '') {
      this.error(key, `"${this.name(key)}" is empty`);
      return undefined;
    }
    return cleaned;
  }

  boolean(key: string): boolean | undefined {
    if (!this.has(key)) return undefined;
    const value = this.frontMatter.data[key];
    if (typeof value !== 'boolean') {
      this.error(key, `"${this.name(key)}" must be true or false, not ${describe(value)}`);
      return undefined;
    }
    return value;
  }

  integer(key: string, min: number, max: number): number | undefined {
    if (!this.has(key)) return undefined;
    const value = this.frontMatter.data[key];
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      this.error(key, `"${this.name(key)}" must be a whole number from ${min} to ${max}, not ${describe(value)}`);
      return undefined;
    }
    return value;
  }

  textList(key: string): string[] | undefined {
    if (!this.has(key)) return undefined;
    const value = this.frontMatter.data[key];
    if (!Array.isArray(value)) {
      this.error(key, `"${this.name(key)}" must be a list, such as [one, two], not ${describe(value)}`);
      return undefined;
    }
    const items: string[] = [];
    for (const item of value) {
      const text = typeof item === 'string' ? singleLine(item).trim() : '';
      if (text === '') {
        this.error(key, `every item of "${this.name(key)}" must be non-empty text, not ${describe(item)}`);
        return undefined;
      }
      items.push(text);
    }
    return [...new Set(items)];
  }

  /** `author`: a name, a list of names, or a list of {name, email?, url?}. */
  people(key: string): Person[] | undefined {
    if (!this.has(key)) return undefined;
    const value = this.frontMatter.data[key];
    const items = Array.isArray(value) ? value : [value];
    const people: Person[] = [];
    for (const item of items) {
      const person = this.person(key, item);
      if (!person) return undefined;
      people.push(person);
    }
    return people;
  }

  private person(key: string, item: unknown): Person | undefined {
    const name = typeof item === 'string' ? singleLine(item).trim() : '';
    if (name !== '') return { name };
    if (item === null || typeof item !== 'object' || Array.isArray(item)) {
      this.error(key, `"${key}" must be a name, a list of names, or a list of {name, email, url}; found ${describe(item)}`);
      return undefined;
    }
    const record = item as Record<string, unknown>;
    const unknown = Object.keys(record).filter((k) => !['name', 'email', 'url'].includes(k));
    if (unknown.length > 0) this.warn(key, `unknown key "${unknown[0]}" in "${key}" (known: name, email, url)`);
    const recordName = typeof record.name === 'string' ? singleLine(record.name).trim() : '';
    if (recordName === '') {
      this.error(key, `every "${key}" entry needs a "name"`);
      return undefined;
    }
    const person: Person = { name: recordName };
    if (record.email !== undefined) {
      const email = typeof record.email === 'string' ? cleanText(record.email).trim() : '';
      if (!EMAIL.test(email)) {
        this.error(key, `"email" of ${person.name} is not an e-mail address`);
        return undefined;
      }
      person.email = email;
    }
    if (record.url !== undefined) {
      const url = typeof record.url === 'string' ? httpUrl(record.url) : undefined;
      if (!url) {
        this.error(key, `"url" of ${person.name} must be an absolute http(s) URL`);
        return undefined;
      }
      person.url = url;
    }
    return person;
  }
}

export function languageTag(value: string): string | undefined {
  try {
    const [canonical] = Intl.getCanonicalLocales(value);
    return canonical;
  } catch {
    return undefined;
  }
}

const EMAIL = /^[^\s@<>"]+@[^\s@<>"]+\.[^\s@<>"]+$/;

const CLOCK = /^(?:(\d{1,3}):)?([0-5]?\d):([0-5]\d)$/;

/** `1:02:03` -> 3723; `02:03` -> 123. */
function clockSeconds(text: string): number | undefined {
  const match = CLOCK.exec(text.trim());
  if (!match) return undefined;
  return Number(match[1] ?? 0) * 3600 + Number(match[2]) * 60 + Number(match[3]);
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function isScalar(value: unknown): boolean {
  return typeof value === 'number' || typeof value === 'boolean';
}

export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') {
    const characters = [...value];
    return `"${characters.length > 40 ? `${characters.slice(0, 40).join('')}…` : value}"`;
  }
  return `${typeof value === 'number' ? 'the number' : 'the value'} ${String(value)}`;
}
