/** `feedgen <command>`: the CLI entry point. */
import { UsageError, type Command, type CommandIO } from './args.js';
import { buildCommand } from './build.js';
import { checkCommand } from './check.js';
import { serveCommand } from './serve.js';
import { timeCommand } from './time.js';
import { workerDataCommand } from './worker-data.js';

const COMMANDS: Command[] = [serveCommand, buildCommand, checkCommand, timeCommand, workerDataCommand];

function overview(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return `feedgen: RSS 2.0, Atom 1.0 and JSON Feed 1.1 from a folder of Markdown articles.

Usage: feedgen <command> [options]

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join('\n')}

Run "feedgen <command> --help" for a command's options.
`;
}

export async function main(argv: string[], io: CommandIO): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.out(overview());
    return name === undefined ? 1 : 0;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    io.err(`feedgen: unknown command "${name}"\n\n${overview()}`);
    return 2;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`feedgen ${command.name}: ${error.message}\nRun "feedgen ${command.name} --help" for usage.\n`);
      return 2;
    }
    io.err(`feedgen ${command.name}: ${(error as Error).message}\n`);
    return 1;
  }
}

export function processIO(): CommandIO {
  return {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
    stdin: process.stdin,
    isTTY: Boolean(process.stderr.isTTY),
  };
}
