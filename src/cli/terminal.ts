/**
 * How commands write for a person: colour only on a terminal (https://no-color.org: any non-empty
 * NO_COLOR turns it off; FORCE_COLOR turns it on, or off with 0), and progress through the long
 * steps (parsing, writing). On a terminal progress redraws one line, which it clears when the step
 * is done; anywhere else (a CI log, a pipe) it prints a plain line every FEEDGEN_PROGRESS_SECONDS
 * (default 10; 0: never) once a step has run that long, so that short runs print nothing more.
 */
import { formatProblem, type Problem } from '../content/model.js';
import type { CommandIO } from './args.js';

type Env = Record<string, string | undefined>;

/** Whether to colour what goes to a stream. */
export function colourWanted(isTTY: boolean, env: Env): boolean {
  const force = env.FORCE_COLOR;
  if (force !== undefined && force !== '') return force !== '0' && force.toLowerCase() !== 'false';
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  return isTTY && env.TERM !== 'dumb';
}

const SGR = { bold: [1, 22], red: [31, 39], yellow: [33, 39], cyan: [36, 39] } as const;

/** ANSI styles, or the text unchanged when colour is off. */
export class Style {
  constructor(readonly colour: boolean) {}

  private paint(kind: keyof typeof SGR, text: string): string {
    const [on, off] = SGR[kind];
    return this.colour && text !== '' ? `\u001b[${on}m${text}\u001b[${off}m` : text;
  }

  bold(text: string): string {
    return this.paint('bold', text);
  }

  red(text: string): string {
    return this.paint('red', text);
  }

  yellow(text: string): string {
    return this.paint('yellow', text);
  }

  cyan(text: string): string {
    return this.paint('cyan', text);
  }

  /** `path:line: message` (formatProblem) with the place in bold, an error's message red, the label of a warning yellow and of a note cyan. */
  problem(problem: Problem): string {
    const line = formatProblem(problem);
    if (!this.colour) return line;
    // formatProblem escapes character by character: the place is the start of the line as written.
    const place = formatProblem({ ...problem, severity: 'error', message: '' });
    const rest = line.slice(place.length);
    if (problem.severity === 'error') return `${this.bold(place)}${this.red(rest)}`;
    const label = `${problem.severity}:`;
    const paint = problem.severity === 'warning' ? this.yellow.bind(this) : this.cyan.bind(this);
    return `${this.bold(place)}${paint(label)}${rest.slice(label.length)}`;
  }

  /** "3 errors" red and "2 warnings" yellow when there are any. */
  errors(text: string, n: number): string {
    return n > 0 ? this.red(text) : text;
  }

  warnings(text: string, n: number): string {
    return n > 0 ? this.yellow(text) : text;
  }
}

/** Styles for what a command writes to stdout and to stderr. */
export function stylesOf(io: CommandIO): { out: Style; err: Style } {
  const env = io.env ?? process.env;
  return { out: new Style(colourWanted(io.outIsTTY ?? false, env)), err: new Style(colourWanted(io.isTTY, env)) };
}

/** Reports how far a step has come: `report(done, total)` as it goes. */
export type ProgressReport = (done: number, total: number, note?: string) => void;

export interface ProgressOptions {
  /** Milliseconds between redraws on a terminal. */
  redrawMs?: number;
  now?: () => number;
}

const DEFAULT_LOG_SECONDS = 10;

/** Progress on stderr, for one command (`feedgen build: parsing 2500/10000 articles`). */
export class Progress {
  private readonly tty: boolean;
  private readonly logEveryMs: number;
  private readonly redrawMs: number;
  private readonly now: () => number;
  /** Whether a line is drawn on the terminal, to be cleared. */
  private drawn = false;

  constructor(
    private readonly io: CommandIO,
    private readonly command: string,
    options: ProgressOptions = {},
  ) {
    this.tty = io.isTTY;
    const seconds = Number((io.env ?? process.env).FEEDGEN_PROGRESS_SECONDS ?? DEFAULT_LOG_SECONDS);
    this.logEveryMs = Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : Infinity;
    this.redrawMs = options.redrawMs ?? 100;
    this.now = options.now ?? Date.now;
  }

  /**
   * A step, such as parsing: `verb` and `noun` make its line (`parsing 2500/10000 articles`). On
   * a terminal the line is cleared when `done` reaches `total`; a step with nothing to do shows
   * nothing.
   */
  step(verb: string, noun: string): ProgressReport {
    const started = this.now();
    let lastShown = Number.NEGATIVE_INFINITY;
    return (done, total, note) => {
      const now = this.now();
      const text = `feedgen ${this.command}: ${verb} ${done}/${total} ${noun}${note ? `, ${note}` : ''}`;
      if (this.tty) {
        if (done < total && now - lastShown < this.redrawMs) return;
        lastShown = now;
        if (done >= total) this.clear();
        else {
          this.io.err(`\r${text}\u001b[K`);
          this.drawn = true;
        }
      } else if (now - started >= this.logEveryMs && now - lastShown >= this.logEveryMs) {
        lastShown = now;
        this.io.err(`${text} (${total > 0 ? Math.floor((done / total) * 100) : 100}%)\n`);
      }
    };
  }

  /** Clears the terminal's progress line, before anything else is written. */
  clear(): void {
    if (!this.drawn) return;
    this.io.err('\r\u001b[K');
    this.drawn = false;
  }
}
