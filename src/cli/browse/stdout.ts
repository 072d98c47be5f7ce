// Printing results. When the reader of a pipe goes away (`hsls -r / | head`), Node reports EPIPE on
// stdout; the tool then has nothing left to do and ends quietly instead of crashing.
let guarded = false;

function guardPipe(): void {
  if (guarded) return;
  guarded = true;
  process.stdout.on("error", (err: NodeJS.ErrnoException) => {
    if (err.code === "EPIPE") process.exit(0);
    throw err;
  });
}

export function printLine(line: string): void {
  guardPipe();
  process.stdout.write(`${line}\n`);
}

export function printLines(lines: readonly string[]): void {
  guardPipe();
  process.stdout.write(lines.map((l) => `${l}\n`).join(""));
}
