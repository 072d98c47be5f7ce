import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir, userInfo } from "node:os";
import { join } from "node:path";
import { Command } from "commander";
import { afterAll, describe, expect, it } from "vitest";
import { addCommonOptions, configFromOptions, type CommonOptions } from "../../src/cli/common-options.js";

const root = mkdtempSync(join(tmpdir(), "common-options-test-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const home = join(root, "home");
const cwd = join(root, "cwd");
mkdirSync(home);
mkdirSync(cwd);
writeFileSync(join(home, ".hscfg"), "hs_endpoint = http://fromfile:5101\nhs_username = fileuser\nhs_password = filepass # comment\n");
writeFileSync(join(cwd, "alt.cfg"), "hs_endpoint = file:///srv/hs\n");

function parse(argv: string[]): CommonOptions {
  const cmd = addCommonOptions(new Command("hsls"))
    .exitOverride()
    .configureOutput({ writeErr: () => {} }).argument("[path]").action(() => {});
  cmd.parse(argv, { from: "user" });
  return cmd.opts<CommonOptions>();
}

describe("addCommonOptions + configFromOptions", () => {
  it("parses h5pyd's flags", () => {
    expect(
      parse(["-e", "http://h:1", "-u", "u", "-p", "p", "--api_key", "k", "-c", "f", "--bucket", "b", "-v", "--loglevel", "debug", "--logfile", "l", "/x"]),
    ).toEqual({ endpoint: "http://h:1", user: "u", password: "p", api_key: "k", conf: "f", bucket: "b", verbose: true, loglevel: "debug", logfile: "l" });
  });

  it("rejects an unknown log level", () => {
    expect(() => parse(["--loglevel", "loud"])).toThrow(/Allowed choices are debug, info, warning, error/);
  });

  it("reads ~/.hscfg (home from the env given), env overrides it, flags override env", () => {
    const env = { HOME: home };
    const fromFile = configFromOptions(parse([]), env, cwd);
    expect(fromFile).toMatchObject({ endpoint: { kind: "http", url: "http://fromfile:5101" }, username: "fileuser", password: "filepass" });
    expect(fromFile.configFile).toBe(join(home, ".hscfg"));

    const fromEnv = configFromOptions(parse([]), { ...env, HS_USERNAME: "envuser" }, cwd);
    expect(fromEnv.username).toBe("envuser");

    const fromFlags = configFromOptions(parse(["-u", "flaguser", "--api_key", "k"]), { ...env, HS_USERNAME: "envuser" }, cwd);
    expect(fromFlags).toMatchObject({ username: "flaguser", apiKey: "k", password: "filepass" });
  });

  it("uses -c FILE instead of ~/.hscfg", () => {
    const config = configFromOptions(parse(["-c", "alt.cfg"]), { HOME: home }, cwd);
    expect(config.endpoint).toEqual({ kind: "local", dir: "/srv/hs", named: "file:///srv/hs" });
    expect(config.username).toBe(userInfo().username);
    expect(config.password).toBeUndefined();
  });

  it("reports a bad endpoint flag by name", () => {
    expect(() => configFromOptions(parse(["-e", "hsds:5101"]), { HOME: home }, cwd)).toThrow(
      'unsupported endpoint "hsds:5101" (from option --endpoint)',
    );
  });
});
