/** Shared command-line plumbing: option parsing with clear errors, and help text. */
import { parseArgs, type ParseArgsConfig } from 'node:util';

export interface Command {
  name: string;
  summary: string;
  usage: string;
  /** Lines describing each option. */
  options: string[];
  run(argv: string[], io: CommandIO): Promise<number>;
}

export interface CommandIO {
  out: (text: string) => void;
  err: (text: string) => void;
  stdin: NodeJS.ReadableStream;
  /** Whether stderr is a terminal: progress redraws a line there, and messages may be coloured (terminal.ts). */
  isTTY: boolean;
  /** Whether stdout is a terminal (default false). */
  outIsTTY?: boolean;
  /** What colour and progress go by: NO_COLOR, FORCE_COLOR, TERM, FEEDGEN_PROGRESS_SECONDS (default process.env). */
  env?: Record<string, string | undefined>;
}

export class UsageError extends Error {}

export function helpText(command: Command): string {
  return `${command.summary}\n\nUsage: ${command.usage}\n\nOptions:\n${command.options.map((o) => `  ${o}`).join('\n')}\n`;
}

export function parse<T extends NonNullable<ParseArgsConfig['options']>>(argv: string[], options: T, allowPositionals = false) {
  try {
    return parseArgs({ args: argv, options: { ...options, help: { type: 'boolean', short: 'h' } }, allowPositionals, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message.replace(/^Unknown option/, 'unknown option').split('. To specify')[0] ?? '');
  }
}

export function portNumber(value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!/^\d{1,5}$/.test(value) || Number(value) > 65535) throw new UsageError(`--port must be a number from 0 to 65535, not "${value}"`);
  return Number(value);
}
