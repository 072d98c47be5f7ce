// hsserve (the compiled tool) on an ephemeral 127.0.0.1 port, stopped by the test.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { passwordFile, toolPath } from "./cli.js";

export interface RunningServer {
  url: string;
  root: string;
  stop(): Promise<void>;
}

export const TEST_USERS = { test_user1: "test", test_user2: "test", admin: "admin" };

export async function startHsserve(opts: { root?: string; users?: Record<string, string>; extraArgs?: string[] } = {}): Promise<RunningServer> {
  const root = opts.root ?? mkdtempSync(join(tmpdir(), "hsds-root-"));
  const args = [toolPath("hsserve"), "--root", root, "--port", "0", "--password-file", passwordFile(opts.users ?? TEST_USERS), ...(opts.extraArgs ?? [])];
  const child: ChildProcess = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (d: Buffer) => {
      out += d.toString();
      const match = /at (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (match) resolve(match[1]!);
    });
    child.once("exit", (code) => reject(new Error(`hsserve exited with ${code}: ${stderr}`)));
  });
  return {
    url,
    root,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}
