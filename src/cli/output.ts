// Results on stdout, one line at a time or a block at once. (When the reader of a pipe goes away,
// runProgram ends the tool quietly.)
export function printLine(line: string): void {
  process.stdout.write(`${line}\n`);
}

export function printLines(lines: readonly string[]): void {
  process.stdout.write(lines.map((l) => `${l}\n`).join(""));
}
