/** `feedgen <command>`: the CLI entry point. */
import { readFileSync } from 'node:fs';
import { UsageError, type Command, type CommandIO } from './args.js';
import { stylesOf } from './terminal.js';

/**
 * Each command is loaded when it runs: `feedgen time` need not load the Markdown renderer, nor
 * `feedgen build` the HTTP server.
 */
const COMMANDS: Record<string, () => Promise<Command>> = {
  serve: async () => (await import('./serve.js')).serveCommand,
  build: async () => (await import('./build.js')).buildCommand,
  check: async () => (await import('./check.js')).checkCommand,
  time: async () => (await import('./time.js')).timeCommand,
  'worker-data': async () => (await import('./worker-data.js')).workerDataCommand,
  init: async () => (await import('./init.js')).initCommand,
};

async function overview(): Promise<string> {
  const commands = await Promise.all(Object.values(COMMANDS).map((load) => load()));
  const width = Math.max(...commands.map((c) => c.name.length));
  return `feedgen: RSS 2.0, Atom 1.0 and JSON Feed 1.1 from a folder of Markdown articles.

Usage: feedgen <command> [options]
       feedgen --version

Commands:
${commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join('\n')}

Run "feedgen <command> --help" for a command's options.
`;
}

/** The version in feedgen's package.json (two folders up from src/cli or lib/cli). */
export function version(): string {
  const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return manifest.version;
}

export async function main(argv: string[], io: CommandIO): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.out(await overview());
    return name === undefined ? 1 : 0;
  }
  if (name === '--version' || name === '-v' || name === 'version') {
    io.out(`feedgen ${version()}\n`);
    return 0;
  }
  const { err: style } = stylesOf(io);
  const load = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!load) {
    io.err(`${style.red(`feedgen: unknown command "${name}"`)}\n\n${await overview()}`);
    return 2;
  }
  const command = await load();
  try {
    return await command.run(rest, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`${style.red(`feedgen ${command.name}: ${error.message}`)}\nRun "feedgen ${command.name} --help" for usage.\n`);
      return 2;
    }
    io.err(`${style.red(`feedgen ${command.name}: ${(error as Error).message}`)}\n`);
    return 1;
  }
}

export function processIO(): CommandIO {
  return {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
    stdin: process.stdin,
    isTTY: Boolean(process.stderr.isTTY),
    outIsTTY: Boolean(process.stdout.isTTY),
    env: process.env,
  };
}
