/**
 * Typed reading of front-matter values, each problem pinned to the line of its key.
 */
import type { FrontMatter } from './frontmatter.js';
import type { Person } from './model.js';
import { cleanText } from './text.js';

export interface FieldProblem {
  line: number;
  severity: 'error' | 'warning';
  message: string;
}

export class FieldReader {
  readonly problems: FieldProblem[] = [];

  constructor(private readonly frontMatter: FrontMatter) {}

  line(key: string): number {
    return this.frontMatter.keyLines.get(key) ?? 1;
  }

  has(key: string): boolean {
    const value = this.frontMatter.data[key];
    return value !== undefined && value !== null;
  }

  error(key: string, message: string): void {
    this.problems.push({ line: this.line(key), severity: 'error', message });
  }

  warn(key: string, message: string): void {
    this.problems.push({ line: this.line(key), severity: 'warning', message });
  }

  get hasErrors(): boolean {
    return this.problems.some((p) => p.severity === 'error');
  }

  /** Warns about keys that are not in `known` (a typo such as `tittle` would otherwise pass silently). */
  checkKnownKeys(known: readonly string[]): void {
    for (const key of Object.keys(this.frontMatter.data)) {
      if (!known.includes(key)) this.warn(key, `unknown key "${key}" (known keys: ${known.join(', ')})`);
    }
  }

  required(key: string): string | undefined {
    if (!this.has(key)) {
      this.error(key, `"${key}" is required`);
      return undefined;
    }
    return this.text(key);
  }

  /** A non-empty string; numbers and booleans are refused rather than guessed at. */
  text(key: string): string | undefined {
    if (!this.has(key)) return undefined;
    const value = this.frontMatter.data[key];
    if (typeof value !== 'string') {
      this.error(key, `"${key}" must be text, not ${describe(value)}${isScalar(value) ? ' (put it in quotes)' : ''}`);
      return undefined;
    }
    const cleaned = cleanText(value).trim();
    if (cleaned === '') {
      this.error(key, `"${key}" is empty`);
      return undefined;
    }
    return cleaned;
  }

  boolean(key: string): boolean | undefined {
    if (!this.has(key)) return undefined;
    const value = this.frontMatter.data[key];
    if (typeof value !== 'boolean') {
      this.error(key, `"${key}" must be true or false, not ${describe(value)}`);
      return undefined;
    }
    return value;
  }

  integer(key: string, min: number, max: number): number | undefined {
    if (!this.has(key)) return undefined;
    const value = this.frontMatter.data[key];
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      this.error(key, `"${key}" must be a whole number from ${min} to ${max}, not ${describe(value)}`);
      return undefined;
    }
    return value;
  }

  textList(key: string): string[] | undefined {
    if (!this.has(key)) return undefined;
    const value = this.frontMatter.data[key];
    if (!Array.isArray(value)) {
      this.error(key, `"${key}" must be a list, such as [one, two], not ${describe(value)}`);
      return undefined;
    }
    const items: string[] = [];
    for (const item of value) {
      if (typeof item !== 'string' || cleanText(item).trim() === '') {
        this.error(key, `every item of "${key}" must be non-empty text, not ${describe(item)}`);
        return undefined;
      }
      items.push(cleanText(item).trim());
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
    if (typeof item === 'string' && cleanText(item).trim() !== '') return { name: cleanText(item).trim() };
    if (item === null || typeof item !== 'object' || Array.isArray(item)) {
      this.error(key, `"${key}" must be a name, a list of names, or a list of {name, email, url}; found ${describe(item)}`);
      return undefined;
    }
    const record = item as Record<string, unknown>;
    const unknown = Object.keys(record).filter((k) => !['name', 'email', 'url'].includes(k));
    if (unknown.length > 0) this.warn(key, `unknown key "${unknown[0]}" in "${key}" (known: name, email, url)`);
    if (typeof record.name !== 'string' || cleanText(record.name).trim() === '') {
      this.error(key, `every "${key}" entry needs a "name"`);
      return undefined;
    }
    const person: Person = { name: cleanText(record.name).trim() };
    if (record.email !== undefined) {
      if (typeof record.email !== 'string' || !/^[^\s@<>"]+@[^\s@<>"]+\.[^\s@<>"]+$/.test(record.email)) {
        this.error(key, `"email" of ${person.name} is not an e-mail address`);
        return undefined;
      }
      person.email = record.email;
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

/** The URL, normalized, if it is an absolute http(s) URL. */
export function httpUrl(value: string, base?: string): string | undefined {
  try {
    const url = new URL(value.trim(), base);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
  } catch {
    return undefined;
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

function isScalar(value: unknown): boolean {
  return typeof value === 'number' || typeof value === 'boolean';
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return `"${value.length > 40 ? `${value.slice(0, 40)}…` : value}"`;
  return `${typeof value === 'number' ? 'the number' : 'the value'} ${String(value)}`;
}
