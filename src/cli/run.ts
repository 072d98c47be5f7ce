// How every tool starts and ends: commander parsing (usage errors exit 2), one action, and any
// failure turned into one line on stderr with exit code 1.
import { Command, CommanderError } from "commander";
import chalk, { Chalk } from "chalk";

/** Exit codes documented in the README. */
export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

/** An error whose message is already the one line the user should see (and its exit code). */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = EXIT_FAILURE,
  ) {
    super(message);
  }
}

/** Colour only for a terminal, and never when NO_COLOR is set. */
export function paint(stream: NodeJS.WriteStream): typeof chalk {
  const enabled = stream.isTTY === true && !process.env.NO_COLOR;
  return new Chalk({ level: enabled ? chalk.level || 1 : 0 });
}

export function printError(message: string): void {
  process.stderr.write(`${paint(process.stderr).red(message)}\n`);
}

/**
 * Parse argv with `program` and run its action. The action returns an exit code (or nothing for 0).
 */
export async function runProgram(program: Command, argv = process.argv): Promise<never> {
  // `hsls -r / | head`: once the reader of the pipe is gone there is nothing left to do.
  process.stdout.on("error", (err: NodeJS.ErrnoException) => {
    if (err.code === "EPIPE") process.exit(EXIT_OK);
    throw err;
  });
  program.exitOverride();
  program.configureOutput({ outputError: (text, write) => write(paint(process.stderr).red(text)) });
  let code = EXIT_OK;
  try {
    await program.parseAsync(argv);
    code = (program as Command & { exitCode?: number }).exitCode ?? EXIT_OK;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version end here too, with exit code 0.
      code = err.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
    } else if (err instanceof CliError) {
      printError(err.message);
      code = err.exitCode;
    } else {
      printError(oneLine(err));
      if (process.env.HSDS_TOOLS_DEBUG) console.error(err);
      code = EXIT_FAILURE;
    }
  }
  // Flush stdout before exiting: a pipe may still hold the tool's output.
  await new Promise<void>((resolve) => process.stdout.write("", () => resolve()));
  process.exit(code);
}

export function oneLine(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return message.split("\n")[0]!.trim() || "unexpected error";
}

/** Record the exit code an action wants without throwing. */
export function setExitCode(program: Command, code: number): void {
  (program as Command & { exitCode?: number }).exitCode = code;
}
