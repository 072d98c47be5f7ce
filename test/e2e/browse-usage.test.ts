// Bad usage of the browse tools: exit code 2 and the usage text on stderr, before any request.
import { describe, expect, it } from "vitest";
import { isolatedEnv, runTool } from "../helpers/cli.js";

// An endpoint nobody listens on: a tool that got past its argument checks would fail with 1.
const env = () => isolatedEnv({ HS_ENDPOINT: "http://127.0.0.1:9" });

describe("bad usage", () => {
  const cases: [string, string[], RegExp][] = [
    ["hsls", ["--bogus"], /unknown option '--bogus'/],
    ["hsls", ["relative/path.h5"], /not an absolute domain or folder path: relative\/path\.h5/],
    ["hstouch", [], /missing required argument 'paths'/],
    ["hsrm", [], /missing required argument 'paths'/],
    ["hsdel", ["-x", "/home/a.h5"], /unknown option '-x'/],
    ["hsinfo", ["-H"], /-H and --rescan apply to domain statistics/],
    ["hsacl", [], /missing required argument 'path'/],
    ["hsacl", ["/home/u/f.h5", "+rq", "ted"], /Permission flag: q is not valid/],
    ["hsacl", ["/home/u/f.h5", "+r"], /at least one username must be given/],
    ["hsacl", ["/home/u/f.h5", "+r", "-r", "ted"], /read flag set for both add and remove/],
    ["hsconfigure", ["extra"], /too many arguments/],
    ["hsls", ["--loglevel", "loud"], /Allowed choices are debug, info, warning, error/],
  ];

  for (const [tool, args, message] of cases) {
    it(`${tool} ${args.join(" ")}`, async () => {
      const result = await runTool(tool, args, { env: env() });
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(message);
      expect(result.stderr).toContain(`Usage: ${tool} [options]`);
      expect(result.stdout).toBe("");
    });
  }

  it("prints help on stdout with exit code 0", async () => {
    const result = await runTool("hsls", ["--help"], { env: env() });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("Usage: hsls [options] [paths...]");
  });
});
