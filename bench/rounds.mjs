// The measuring loop for one source file: rounds of cp, then hsload and hsget against each endpoint.
// Steps interleave within a round, so a slow spell of the shared machine lands on every step of that
// round (the per-round ratio to cp cancels it) rather than on all runs of one step.
import { rmSync } from "node:fs";
import { join } from "node:path";
import { HOME_FOLDER } from "./endpoints.mjs";
import { h5diff, timeCopy } from "./processes.mjs";

export class BenchVerificationError extends Error {
  constructor(step, file, detail) {
    super(`${step}: ${file} differs from its source (${detail})`);
    this.name = "BenchVerificationError";
  }
}

/**
 * Runs `runs` rounds on `input` ({ name, file }) and returns the steps with every run's numbers, plus
 * how the first round's downloads compared with the source (h5diff, untimed). Without `download`
 * only cp and hsload are measured.
 */
export async function measureRounds(input, { runs, endpoints, workDir, log, download = true }) {
  const domain = `${HOME_FOLDER}/${input.name}.h5`;
  const copy = join(workDir, "cp-copy.h5");
  const downloaded = join(workDir, "downloaded.h5");
  const steps = [{ step: "cp", runs: [] }];
  for (const endpoint of endpoints) {
    steps.push({ step: `hsload → ${endpoint.name}`, endpoint, action: "load", runs: [] });
    if (download) steps.push({ step: `hsget ← ${endpoint.name}`, endpoint, action: "get", runs: [] });
  }
  const verification = [];
  for (let round = 0; round < runs; round++) {
    for (const step of steps) {
      let measured;
      if (step.action === undefined) {
        measured = await timeCopy(input.file, copy);
        rmSync(copy, { force: true });
      } else if (step.action === "load") {
        measured = await step.endpoint.load(input.file, domain);
        if (!download) step.endpoint.clear();
      } else {
        measured = await step.endpoint.get(domain, downloaded);
        if (round === 0) verification.push(await verify(step.step, input.file, downloaded));
        rmSync(downloaded, { force: true });
        step.endpoint.clear();
      }
      step.runs.push(measured);
      log(`${input.name} round ${round + 1}/${runs}: ${step.step} ${measured.seconds.toFixed(2)} s`);
    }
  }
  return { steps: steps.map(({ step, runs: measured }) => ({ step, runs: measured })), verification };
}

async function verify(step, source, copy) {
  const { code, output } = await h5diff(source, copy);
  if (code === "missing") return `${step}: not verified (h5diff is not installed)`;
  if (code !== 0) throw new BenchVerificationError(step, copy, `h5diff exit ${code}: ${output}`);
  return `${step}: h5diff finds no difference from the source`;
}
