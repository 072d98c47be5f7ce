import { mkdtempSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { findConfigFile, readConfigFile, writeConfigFile } from "../../src/config/config-file.js";
import { ConfigError } from "../../src/config/config-error.js";

const root = mkdtempSync(join(tmpdir(), "hscfg-test-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function dirs(name: string) {
  const cwd = join(root, name, "cwd");
  const home = join(root, name, "home");
  mkdirSync(cwd, { recursive: true });
  mkdirSync(home, { recursive: true });
  return { cwd, home };
}

describe("findConfigFile", () => {
  it("prefers ./.hscfg over ~/.hscfg", () => {
    const { cwd, home } = dirs("both");
    writeFileSync(join(cwd, ".hscfg"), "hs_endpoint = local\n");
    writeFileSync(join(home, ".hscfg"), "hs_endpoint = http://h\n");
    expect(findConfigFile({ cwd, home })).toBe(join(cwd, ".hscfg"));
  });

  it("falls back to ~/.hscfg, then to nothing", () => {
    const { cwd, home } = dirs("homeonly");
    expect(findConfigFile({ cwd, home })).toBeUndefined();
    writeFileSync(join(home, ".hscfg"), "");
    expect(findConfigFile({ cwd, home })).toBe(join(home, ".hscfg"));
  });

  it("uses -c FILE instead of both, relative to cwd, and fails if it is missing", () => {
    const { cwd, home } = dirs("explicit");
    writeFileSync(join(cwd, ".hscfg"), "");
    writeFileSync(join(cwd, "other.cfg"), "");
    expect(findConfigFile({ explicit: "other.cfg", cwd, home })).toBe(join(cwd, "other.cfg"));
    expect(() => findConfigFile({ explicit: "nope.cfg", cwd, home })).toThrow(ConfigError);
    expect(() => findConfigFile({ explicit: "nope.cfg", cwd, home })).toThrow(`config file not found: ${join(cwd, "nope.cfg")}`);
  });
});

describe("writeConfigFile", () => {
  it("writes h5pyd's format with mode 0600, replacing the old file and leaving no temp file", async () => {
    const { home } = dirs("write");
    const path = join(home, ".hscfg");
    writeFileSync(path, "old contents\n", { mode: 0o644 });
    await writeConfigFile(path, { endpoint: "http://h:5101", username: "alice", password: "s3cret" });
    expect(readFileSync(path, "utf8")).toBe(
      "# HDFCloud configuration file\nhs_endpoint = http://h:5101\nhs_username = alice\nhs_password = s3cret\nhs_api_key = \n",
    );
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readdirSync(home)).toEqual([".hscfg"]);
    expect(readConfigFile(path).values.hs_password).toBe("s3cret");
  });

  it("fails with the path when the directory does not exist", async () => {
    await expect(writeConfigFile(join(root, "missing", ".hscfg"), {})).rejects.toThrow(/cannot write config file .*missing\/\.hscfg/);
  });
});
