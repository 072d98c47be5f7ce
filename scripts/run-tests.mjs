#!/usr/bin/env node
// `npm test`: compile (e2e tests run the compiled CLI), run vitest, and print the closing
// "N passed, M failed" line that CI reads; vitest's own summary is not stable enough to parse.
import { spawnSync } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const results = `${root}.test-results.json`;
const run = (cmd, args) => spawnSync(cmd, args, { cwd: root, stdio: "inherit" }).status ?? 1;

if (run("npx", ["--no-install", "tsc", "-p", "tsconfig.build.json"]) !== 0) {
  console.log("0 passed, 1 failed (build)");
  process.exit(1);
}
rmSync(results, { force: true });
const status = run("npx", [
  "--no-install", "vitest", "run",
  "--reporter=default", "--reporter=json", `--outputFile.json=${results}`,
  ...process.argv.slice(2),
]);

let passed = 0;
let failed = 0;
try {
  const report = JSON.parse(readFileSync(results, "utf8"));
  passed = report.numPassedTests;
  // A file that fails to load has no tests in it; count it so it cannot pass unnoticed.
  const brokenFiles = report.testResults.filter((f) => f.status === "failed" && f.assertionResults.length === 0).length;
  failed = report.numFailedTests + brokenFiles;
} catch {
  failed = 1;
}
if (status !== 0 && failed === 0) failed = 1;
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
