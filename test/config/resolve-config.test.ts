import { describe, expect, it } from "vitest";
import { type ConfigSources, resolveConfig } from "../../src/config/resolve-config.js";

function sources(overrides: Partial<ConfigSources> = {}): ConfigSources {
  return { flags: {}, env: {}, osUser: "osuser", home: "/home/me", cwd: "/work", ...overrides };
}

const file = (values: Record<string, string>) => ({ path: "/home/me/.hscfg", values, invalidLines: [] });

describe("resolveConfig precedence", () => {
  it("defaults to local under ~/.local/share/hsds-tools with the OS user", () => {
    const config = resolveConfig(sources());
    expect(config.endpoint).toEqual({ kind: "local", dir: "/home/me/.local/share/hsds-tools", named: "local" });
    expect(config.username).toBe("osuser");
    expect(config.loglevel).toBe("error");
    expect(config.verbose).toBe(false);
  });

  it("takes flag over environment over file", () => {
    const fileOnly = sources({ file: file({ hs_endpoint: "http://file:1", hs_username: "fu", hs_bucket: "fb" }) });
    expect(resolveConfig(fileOnly).endpoint).toEqual({ kind: "http", url: "http://file:1" });
    expect(resolveConfig(fileOnly).username).toBe("fu");

    const withEnv = { ...fileOnly, env: { HS_ENDPOINT: "http://env:2", HS_USERNAME: "eu" } };
    expect(resolveConfig(withEnv).endpoint).toEqual({ kind: "http", url: "http://env:2" });
    expect(resolveConfig(withEnv).username).toBe("eu");
    expect(resolveConfig(withEnv).bucket).toBe("fb");

    const withFlags = { ...withEnv, flags: { endpoint: "http://flag:3", user: "flu", bucket: "flb" } };
    const config = resolveConfig(withFlags);
    expect(config.endpoint).toEqual({ kind: "http", url: "http://flag:3" });
    expect([config.username, config.bucket]).toEqual(["flu", "flb"]);
  });

  it("lets a higher source blank a value with None or empty", () => {
    const config = resolveConfig(
      sources({ file: file({ hs_password: "secret", hs_api_key: "key" }), env: { HS_PASSWORD: "" }, flags: { apiKey: "None" } }),
    );
    expect(config.password).toBeUndefined();
    expect(config.apiKey).toBeUndefined();
  });

  it("treats None in the file as unset, so the default endpoint applies", () => {
    expect(resolveConfig(sources({ file: file({ hs_endpoint: "None" }) })).endpoint.kind).toBe("local");
  });

  it("gives no username for http unless configured", () => {
    expect(resolveConfig(sources({ flags: { endpoint: "http://h:5101" } })).username).toBeUndefined();
  });

  it("finds the local directory in HS_LOCAL_DIR, then hs_local_dir, then XDG_DATA_HOME", () => {
    const base = sources({ file: file({ hs_local_dir: "~/hsdata" }) });
    expect(resolveConfig(base).endpoint).toMatchObject({ dir: "/home/me/hsdata" });
    expect(resolveConfig({ ...base, env: { HS_LOCAL_DIR: "rel/dir" } }).endpoint).toMatchObject({ dir: "/work/rel/dir" });
    expect(resolveConfig(sources({ env: { XDG_DATA_HOME: "/xdg" } })).endpoint).toMatchObject({ dir: "/xdg/hsds-tools" });
    expect(resolveConfig(sources({ env: { XDG_DATA_HOME: "relative" } })).endpoint).toMatchObject({
      dir: "/home/me/.local/share/hsds-tools",
    });
  });

  it("ignores unknown keys in the file and reports malformed lines as warnings", () => {
    const config = resolveConfig(
      sources({ file: { path: "/w/.hscfg", values: { hs_ad_app_id: "x", whatever: "y" }, invalidLines: [3] } }),
    );
    expect(config.endpoint.kind).toBe("local");
    expect(config.configFile).toBe("/w/.hscfg");
    expect(config.warnings).toEqual(['/w/.hscfg line 3 is not "key = value"; ignored']);
  });

  it("validates the log level with its origin and resolves the log file", () => {
    expect(resolveConfig(sources({ file: file({ loglevel: "INFO", logfile: "~/hs.log" }) }))).toMatchObject({
      loglevel: "info",
      logfile: "/home/me/hs.log",
    });
    expect(() => resolveConfig(sources({ flags: { loglevel: "loud" } }))).toThrow(
      'log level "loud" (from option --loglevel) must be one of debug, info, warning, error',
    );
  });

  it("names the source of a bad endpoint", () => {
    expect(() => resolveConfig(sources({ file: file({ hs_endpoint: "hsds.example.org" }) }))).toThrow(
      'unsupported endpoint "hsds.example.org" (from /home/me/.hscfg)',
    );
    expect(() => resolveConfig(sources({ env: { HS_ENDPOINT: "s3://bucket" } }))).toThrow(/from environment variable HS_ENDPOINT/);
  });
});
