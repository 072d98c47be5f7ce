import { describe, expect, it } from "vitest";
import { ConfigError } from "../../src/config/config-error.js";
import { parseEndpoint } from "../../src/config/endpoint.js";

describe("parseEndpoint", () => {
  it("keeps http(s) URLs without a trailing slash, path prefix included", () => {
    expect(parseEndpoint("http://localhost:5101/", "x", "/d")).toEqual({ kind: "http", url: "http://localhost:5101" });
    expect(parseEndpoint("https://hsds.example.org/api/hsds//", "x", "/d")).toEqual({
      kind: "http",
      url: "https://hsds.example.org/api/hsds",
    });
  });

  it("maps local (and h5pyd's local[N]) to the local directory", () => {
    expect(parseEndpoint("local", "x", "/data/hs")).toEqual({ kind: "local", dir: "/data/hs", named: "local" });
    expect(parseEndpoint("local[4]", "x", "/data/hs")).toEqual({ kind: "local", dir: "/data/hs", named: "local[4]" });
  });

  it("maps file:///abs/dir to that directory", () => {
    expect(parseEndpoint("file:///srv/hs%20store", "x", "/d")).toEqual({
      kind: "local",
      dir: "/srv/hs store",
      named: "file:///srv/hs%20store",
    });
  });

  it("rejects anything else with the value and where it came from", () => {
    expect(() => parseEndpoint("ftp://x", "environment variable HS_ENDPOINT", "/d")).toThrow(
      'unsupported endpoint "ftp://x" (from environment variable HS_ENDPOINT)',
    );
    expect(() => parseEndpoint("localhost:5101", "/home/u/.hscfg", "/d")).toThrow(ConfigError);
    expect(() => parseEndpoint("http+unix://%2Ftmp%2Fsock", "option --endpoint", "/d")).toThrow(/from option --endpoint/);
    expect(() => parseEndpoint("file://otherhost/dir", "option --endpoint", "/d")).toThrow(/not a file:\/\/\/absolute\/dir URL/);
    expect(() => parseEndpoint("http://u:p@host", "option --endpoint", "/d")).toThrow(/credentials/);
  });
});
