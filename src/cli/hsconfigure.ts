// hsconfigure: ask for endpoint, user name, password and API key (h5pyd's prompts, answered from
// the terminal or a pipe), test the connection, and save ~/.hscfg. With -e/-u/-p/--api_key or
// --yes it asks nothing.
import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { Command } from "commander";
import { connect } from "../client/connect.js";
import { HsdsError, TransportError } from "../client/errors.js";
import { readConfigFile, writeConfigFile } from "../config/config-file.js";
import { isUnsetValue } from "../config/hscfg.js";
import type { ResolvedConfig } from "../config/resolve-config.js";
import { printLine } from "./output.js";
import { addCommonOptions, configFromOptions, type CommonOptions } from "./common-options.js";
import { CliError } from "./run.js";

interface HsconfigureOptions extends CommonOptions {
  yes?: boolean;
  test: boolean;
}

interface ConnectionValues {
  endpoint?: string;
  username?: string;
  password?: string;
  apiKey?: string;
}

function valuesOf(config: ResolvedConfig): ConnectionValues {
  const endpoint = config.endpoint.kind === "http" ? config.endpoint.url : config.endpoint.named;
  return { endpoint, username: config.username, password: config.password, apiKey: config.apiKey };
}

const unsetToUndefined = (value: string | undefined) => (value === undefined || isUnsetValue(value) ? undefined : value);

/** h5pyd's connection test: /about must answer with state READY. Returns the problem, if any. */
async function connectionProblem(values: ConnectionValues): Promise<string | undefined> {
  let config: ResolvedConfig;
  try {
    // Every value as a flag ("" for unset), so neither the environment nor a config file can fill gaps.
    config = configFromOptions({
      endpoint: values.endpoint ?? "",
      user: values.username ?? "",
      password: values.password ?? "",
      api_key: values.apiKey ?? "",
    });
  } catch (err) {
    return (err as Error).message;
  }
  try {
    const client = await connect(config, { retries: 1 });
    try {
      const about = await client.about();
      return about.state === "READY" ? undefined : "Server is not ready, please try later";
    } finally {
      await client.close();
    }
  } catch (err) {
    if (err instanceof HsdsError && err.status === 401) return "Unauthorized (username/password or api key not valid)";
    if (err instanceof HsdsError && err.status === 403) return "forbidden (account not setup?)";
    if (err instanceof TransportError) return "Couldn't connect to server";
    return `Unexpected error: ${(err as Error).message}`;
  }
}

/** Lines from stdin, one per prompt; undefined once the input has ended. */
class Prompter {
  private readonly lines: AsyncIterator<string>;

  constructor() {
    const rl = createInterface({ input: process.stdin, terminal: process.stdin.isTTY === true });
    this.lines = rl[Symbol.asyncIterator]();
  }

  async ask(prompt: string): Promise<string | undefined> {
    process.stdout.write(prompt);
    const next = await this.lines.next();
    if (next.done) {
      process.stdout.write("\n");
      return undefined;
    }
    return next.value.trim();
  }
}

const say = printLine;

async function save(values: ConnectionValues): Promise<void> {
  const path = join(process.env.HOME || homedir(), ".hscfg");
  // Keep the settings hsconfigure does not ask about.
  const kept = existsSync(path) ? readConfigFile(path).values : {};
  say(`Saving config file to: ${path}`);
  await writeConfigFile(path, {
    ...values,
    bucket: unsetToUndefined(kept.hs_bucket),
    localDir: unsetToUndefined(kept.hs_local_dir),
  });
}

async function testAndReport(values: ConnectionValues): Promise<string | undefined> {
  say("Testing connection...");
  const problem = await connectionProblem(values);
  say(problem ?? "connection ok");
  return problem;
}

/** What the ended input leaves behind: nothing to save, or an error because changes are lost. */
function inputEnded(dirty: boolean): void {
  if (dirty) throw new CliError("input ended before the changes were saved; nothing was written");
}

async function interactive(current: ConnectionValues, testConnection: boolean): Promise<void> {
  const prompter = new Prompter();
  const values = { ...current };
  let dirty = false;
  const fields: [keyof ConnectionValues, string, (v: string) => string][] = [
    ["endpoint", "Server endpoint", (v) => `Updated endpoint [${v}]:`],
    ["username", "Username", (v) => `Updated username: [${v}]`],
    ["password", "Password", (v) => `Updated password: [${v}]`],
    ["apiKey", "API Key", (v) => `Updated api key: [${v}]`],
  ];
  for (;;) {
    say("Enter new values or accept defaults in brackets with Enter.");
    say("");
    for (const [key, prompt, updated] of fields) {
      const answer = await prompter.ask(`${prompt} [${values[key] ?? "None"}]: `);
      if (answer === undefined) return inputEnded(dirty);
      if (answer === "") continue;
      say(updated(answer));
      values[key] = unsetToUndefined(answer);
      dirty = true;
    }
    if (testConnection) await testAndReport(values);
    if (dirty) {
      const answer = await prompter.ask("Save changes? (Y/N)");
      if (answer === undefined) return inputEnded(dirty);
      if (answer.toLowerCase() === "y") return save(values);
    }
    const quit = await prompter.ask("Quit? (Y/N)");
    if (quit === undefined) return inputEnded(dirty);
    if (quit.toLowerCase() === "y") return;
  }
}

export function hsconfigureCommand(): Command {
  const program = new Command("hsconfigure")
    .description("Save the endpoint, user name, password and API key the tools use in ~/.hscfg")
    .option("-y, --yes", "save the current values (with any given by flags) without asking")
    .option("--no-test", "do not test the connection")
    .addHelpText(
      "after",
      `
Interactive by default: asks for each value (Enter keeps the one in brackets,
None clears it), tests the connection and asks before saving. The answers may
come from a pipe, one per line.

Without questions when -e, -u, -p, --api_key or --yes is given: the values
given replace the current ones, the connection is tested, and the file is
saved only if the test passes (--no-test saves without testing). Settings
hsconfigure does not ask about (hs_bucket, hs_local_dir) are kept.`,
    )
    .showHelpAfterError();
  addCommonOptions(program);
  return program.action(async (opts: HsconfigureOptions) => {
    const current = valuesOf(configFromOptions(opts));
    const givenByFlags = [opts.endpoint, opts.user, opts.password, opts.api_key].some((v) => v !== undefined);
    if (!givenByFlags && !opts.yes) return interactive(current, opts.test);
    if (opts.test) {
      const problem = await testAndReport(current);
      if (problem !== undefined) throw new CliError(`connection test failed (${problem}); nothing was saved (use --no-test to save anyway)`);
    }
    await save(current);
  });
}
