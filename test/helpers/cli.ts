// Running the compiled tools as child processes, the way users run them. `npm test` compiles
// first; each test gets its own HOME so no ~/.hscfg of the machine leaks in.
import { spawn, spawnSync } from "node:child_process";
import { chmodSync, chownSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PROJECT_ROOT } from "./paths.js";

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function toolPath(tool: string): string {
  return join(PROJECT_ROOT, "dist", "bin", `${tool}.js`);
}

/** A fresh HOME (and XDG dirs) for one test: the tools then see no config but what the test writes. */
export function isolatedEnv(extra: Record<string, string> = {}): Record<string, string> {
  const home = mkdtempSync(join(tmpdir(), "hsds-home-"));
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "",
    HOME: home,
    XDG_DATA_HOME: join(home, ".local", "share"),
    NO_COLOR: "1",
    ...extra,
  };
  return env;
}

export interface SystemUser {
  uid: number;
  gid: number;
}

/** The user `nobody`, as whom a test running as root runs a tool that must be denied what root may do. */
export const NOBODY: SystemUser = { uid: 65534, gid: 65534 };

let nobodyRuns: boolean | undefined;

/** Whether this process may start the tools as NOBODY: it is root, and nobody can reach node and the project. */
export function canRunAsNobody(): boolean {
  nobodyRuns ??= process.getuid?.() === 0 && spawnSync(process.execPath, [toolPath("hsls"), "--help"], { ...NOBODY, cwd: "/", stdio: "ignore" }).status === 0;
  return nobodyRuns;
}

/** isolatedEnv with a HOME that `user` owns. */
export function isolatedEnvOf(user: SystemUser, extra: Record<string, string> = {}): Record<string, string> {
  const env = isolatedEnv(extra);
  chmodSync(env.HOME!, 0o755);
  chownSync(env.HOME!, user.uid, user.gid);
  return env;
}

export function runTool(
  tool: string,
  args: string[],
  opts: { env?: Record<string, string>; cwd?: string; input?: string; timeoutMs?: number; user?: SystemUser } = {},
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [toolPath(tool), ...args], {
      env: opts.env ?? isolatedEnv(),
      cwd: opts.cwd ?? PROJECT_ROOT,
      ...opts.user,
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), opts.timeoutMs ?? 120_000);
    child.on("error", reject);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr });
    });
    child.stdin.end(opts.input ?? "");
  });
}

/** Write a password file of user:password lines and return its path. */
export function passwordFile(users: Record<string, string>): string {
  const path = join(mkdtempSync(join(tmpdir(), "hsds-pw-")), "passwd.txt");
  writeFileSync(path, Object.entries(users).map(([u, p]) => `${u}:${p}\n`).join(""));
  return path;
}
