import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createLogger } from "../../src/cli/log.js";

const root = mkdtempSync(join(tmpdir(), "log-test-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("createLogger", () => {
  it("appends messages at or above the level to the log file", () => {
    const path = join(root, "tool.log");
    const logger = createLogger({ level: "info", logfile: path });
    logger.debug("hidden");
    logger.info("loading tall.h5");
    logger.warning("retrying");
    logger.log("error", "failed");
    logger.close();
    const again = createLogger({ level: "error", logfile: path });
    again.warning("also hidden");
    again.error("second run");
    again.close();

    const lines = readFileSync(path, "utf8").trimEnd().split("\n");
    expect(lines.map((line) => line.replace(/^\S+ /, ""))).toEqual([
      "INFO loading tall.h5",
      "WARNING retrying",
      "ERROR failed",
      "ERROR second run",
    ]);
    expect(Number.isNaN(Date.parse(lines[0]!.split(" ")[0]!))).toBe(false);
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it("reports which levels are enabled", () => {
    const logger = createLogger({ level: "warning" });
    expect(["debug", "info", "warning", "error"].map((l) => logger.enabled(l as "debug"))).toEqual([false, false, true, true]);
  });
});
