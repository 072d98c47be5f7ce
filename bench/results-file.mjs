// bench/results.md holds the last main run and the last 4 GB run, each in its own marked section, so
// running one does not erase the other.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

export const RESULTS_FILE = fileURLToPath(new URL("./results.md", import.meta.url));

const HEADER = `# Benchmark results

Written by \`npm run bench\` (the main section) and \`npm run bench -- --rss-4gb\` (the 4 GB section);
bench/README.md says what is measured and how to read it.
`;

/** The document with the block between `<!-- bench:NAME -->` markers replaced, or appended if absent. */
export function replaceSection(document, name, body) {
  const start = `<!-- bench:${name} -->`;
  const end = `<!-- /bench:${name} -->`;
  const block = `${start}\n${body.trim()}\n${end}`;
  const from = document.indexOf(start);
  const to = document.indexOf(end);
  if (from >= 0 && to > from) return document.slice(0, from) + block + document.slice(to + end.length);
  return `${document.trimEnd()}\n\n${block}\n`;
}

export function writeResultsSection(name, body) {
  const current = existsSync(RESULTS_FILE) ? readFileSync(RESULTS_FILE, "utf8") : HEADER;
  writeFileSync(RESULTS_FILE, replaceSection(current, name, body));
}
