import { Command } from "commander";
import { describe, expect, it } from "vitest";
import { checkUsage, folderText, parentOf, parseTarget } from "../../src/cli/browse/targets.js";
import { CliError } from "../../src/cli/run.js";

describe("domain and folder arguments", () => {
  it("accepts /path, hdf5://path and folders with a trailing /", () => {
    expect(parseTarget("/home/u/f.h5")).toEqual({ path: "/home/u/f.h5", isFolder: false, text: "/home/u/f.h5" });
    expect(parseTarget("hdf5://home/u/f.h5")).toEqual({ path: "/home/u/f.h5", isFolder: false, text: "hdf5://home/u/f.h5" });
    expect(parseTarget("/home/u/")).toMatchObject({ path: "/home/u", isFolder: true });
    expect(parseTarget("/")).toMatchObject({ path: "/", isFolder: true });
  });

  it("refuses relative paths as bad usage", () => {
    expect(() => parseTarget("home/u/f.h5")).toThrow(CliError);
    try {
      parseTarget("f.h5");
    } catch (err) {
      expect((err as CliError).exitCode).toBe(2);
    }
  });

  it("finds parents and writes folders with their slash", () => {
    expect(parentOf("/home/u/f.h5")).toBe("/home/u");
    expect(parentOf("/top")).toBe("/");
    expect(folderText("/home/u")).toBe("/home/u/");
    expect(folderText("/")).toBe("/");
  });

  it("turns usage errors into commander's (exit code 2)", () => {
    const program = new Command("x").exitOverride().configureOutput({ writeErr: () => {} });
    expect(() => checkUsage(program, () => parseTarget("rel"))).toThrow(expect.objectContaining({ exitCode: 2, code: "commander.error" }));
  });
});
