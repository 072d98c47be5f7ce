// hsload when things go wrong: bad input fails with one line naming the file and creates no domain; a load
// that fails half-way (an unsupported type, the server killed, Ctrl-C) leaves no target domain; --force
// replaces an existing domain only when the new copy is complete.
import { type ChildProcess, spawn } from "node:child_process";
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import h5wasm from "h5wasm/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { HsdsClient } from "../../src/client/hsds-client.js";
import { HsdsClient as Client } from "../../src/client/hsds-client.js";
import { HttpTransport } from "../../src/client/http-transport.js";
import { CORPUS } from "../helpers/paths.js";
import { canRunAsNobody, isolatedEnv, isolatedEnvOf, NOBODY, passwordFile, runTool, toolPath } from "../helpers/cli.js";
import { localClient } from "../loader/helpers/local-client.js";
import { verifyCopy } from "../loader/helpers/verify-copy.js";

const H5 = join(CORPUS, "hdf5-json", "h5");
const TALL = join(H5, "tall.h5");
const scratch = mkdtempSync(join(tmpdir(), "hsload-failures-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Domains under a folder, temporary ones included. */
async function domainNames(client: HsdsClient, folder: string): Promise<string[]> {
  const names: string[] = [];
  for await (const entry of client.listFolder(folder)) names.push(entry.name);
  return names;
}

/** A gzip-compressed float32 file that takes a few seconds to load: time to interrupt it. */
async function slowFile(): Promise<string> {
  await h5wasm.ready;
  const file = join(scratch, "slow.h5");
  const f = new h5wasm.File(file, "w");
  const d = f.create_dataset({ name: "data", data: new Float32Array(0), shape: [0, 4096], maxshape: [null, 4096], chunks: [64, 4096], dtype: "<f4", compression: "gzip", compression_opts: 1 });
  const rows = 8192;
  d.resize([rows, 4096]);
  for (let r = 0; r < rows; r += 512) d.write_slice([[r, r + 512], []], new Float32Array(512 * 4096).map((_, i) => ((r * 4096 + i) % 9973) * 0.25));
  f.close();
  return file;
}

describe("bad input: one line naming the file, exit 1, no domain", () => {
  const env = isolatedEnv({ HS_ENDPOINT: "local", HS_USERNAME: "tester" });
  let client: HsdsClient;

  beforeAll(async () => {
    // The home folder exists (as after any earlier use); nothing else may appear in it.
    expect((await runTool("hsload", [TALL, "/home/tester/first.h5"], { env })).code).toBe(0);
    ({ client } = await localClient(join(env.XDG_DATA_HOME!, "hsds-tools")));
  });
  afterAll(() => client.close());

  const expectRefused = async (file: string, reason: RegExp) => {
    const result = await runTool("hsload", [file, "/home/tester/bad.h5"], { env });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("");
    const lines = result.stderr.split("\n").filter((l) => l !== "");
    expect(lines).toHaveLength(1);
    expect(lines[0]!.startsWith(`${file}: `), lines[0]).toBe(true);
    expect(lines[0]).toMatch(reason);
    expect(await domainNames(client, "/home/tester/")).toEqual(["/home/tester/first.h5"]);
  };

  it("not an HDF5 file", () => expectRefused(join(H5, "notahdf5file.h5"), /not an HDF5 file/));
  it("a missing file", () => expectRefused(join(scratch, "missing.h5"), /no such file/));
  it("a directory", () => expectRefused(scratch, /is a directory/));

  it("a truncated file", async () => {
    const file = join(scratch, "truncated.h5");
    copyFileSync(TALL, file);
    truncateSync(file, 4000);
    await expectRefused(file, /truncated/);
  });

  it("an unreadable file (as root, who reads anything, the tool runs as nobody)", async (ctx) => {
    const asRoot = process.getuid?.() === 0;
    if (asRoot && !canRunAsNobody()) ctx.skip();
    // A directory anyone may enter, so that only the file's own mode denies it.
    const dir = join(scratch, "open-dir");
    mkdirSync(dir, { recursive: true });
    chmodSync(scratch, 0o755);
    chmodSync(dir, 0o755);
    const file = join(dir, "unreadable.h5");
    writeFileSync(file, readFileSync(TALL));
    chmodSync(file, 0o000);
    if (!asRoot) return expectRefused(file, /permission denied/);
    const nobodyEnv = isolatedEnvOf(NOBODY, { HS_ENDPOINT: "local", HS_USERNAME: "tester" });
    const result = await runTool("hsload", [file, "/home/tester/bad.h5"], { env: nobodyEnv, user: NOBODY });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toMatch(new RegExp(`^${file}: .*permission denied\\n$`));
    const store = join(nobodyEnv.XDG_DATA_HOME!, "hsds-tools");
    if (!existsSync(store)) return;
    const { client: theirs } = await localClient(store);
    try {
      expect(await domainNames(theirs, "/home/tester/")).toEqual([]);
    } finally {
      await theirs.close();
    }
  });

  it("a target whose folder does not exist: names the folder and how to make it, with or without -a", async () => {
    const target = "/home/tester/missing/x.h5";
    for (const args of [[TALL, target], ["-a", TALL, target]]) {
      const result = await runTool("hsload", args, { env });
      expect(result.code, args.join(" ")).toBe(1);
      expect(result.stderr, args.join(" ")).toBe(`folder /home/tester/missing/ not found for ${target} (hstouch /home/tester/missing/ creates it)\n`);
    }
    expect(await domainNames(client, "/home/tester/")).toEqual(["/home/tester/first.h5"]);
  });

  it("a file with what HSDS cannot hold, without --ignore: names it, writes nothing", async () => {
    const file = join(H5, "regionref_attr.h5");
    const result = await runTool("hsload", [file, "/home/tester/bad.h5"], { env });
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toBe("cannot copy /DS1@A1: dataset region references are not supported; --ignore leaves such objects out");
    expect(await domainNames(client, "/home/tester/")).toEqual(["/home/tester/first.h5"]);
  });
});

/** hsserve as a child process this test can kill hard, and restart on the same directory. */
class KillableServer {
  private child: ChildProcess | undefined;
  url = "";
  readonly root = join(scratch, "server-root");
  private readonly passwords = passwordFile({ test_user1: "test" });

  async start(): Promise<void> {
    mkdirSync(this.root, { recursive: true });
    const child = spawn(process.execPath, [toolPath("hsserve"), "--root", this.root, "--port", "0", "--password-file", this.passwords], { stdio: ["ignore", "pipe", "pipe"] });
    this.child = child;
    this.url = await new Promise<string>((resolve, reject) => {
      let out = "";
      child.stdout!.on("data", (d: Buffer) => {
        out += d.toString();
        const match = /at (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
        if (match) resolve(match[1]!);
      });
      child.once("exit", (code) => reject(new Error(`hsserve exited with ${code}`)));
    });
  }

  kill(): Promise<void> {
    const child = this.child!;
    return new Promise((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once("exit", () => resolve());
      child.kill("SIGKILL");
    });
  }

  client(): HsdsClient {
    return new Client(new HttpTransport({ endpoint: this.url, username: "test_user1", password: "test", retries: 0 }));
  }
}

/** Start hsload, wait until its temporary domain exists (it is copying values), then call `interrupt`. */
async function interruptMidLoad(args: string[], env: Record<string, string>, started: () => Promise<boolean>, interrupt: (child: ChildProcess) => Promise<void>) {
  const child = spawn(process.execPath, [toolPath("hsload"), ...args], { env, stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number>((resolve) => child.once("exit", (code, signal) => resolve(code ?? (signal ? 128 : 1))));
  for (let i = 0; i < 400 && !(await started()); i++) await new Promise((resolve) => setTimeout(resolve, 25));
  await new Promise((resolve) => setTimeout(resolve, 300));
  await interrupt(child);
  return { code: await exited, stderr };
}

describe("a load that fails half-way leaves no target domain", () => {
  let slow: string;
  const server = new KillableServer();
  const env = isolatedEnv();

  beforeAll(async () => {
    slow = await slowFile();
    await server.start();
  }, 120_000);
  afterAll(() => server.kill());

  it("the server killed mid-load: no target; --force over an existing domain keeps the old one", async () => {
    const args = (target: string, ...extra: string[]) => ["-e", server.url, "-u", "test_user1", "-p", "test", "--retries", "0", ...extra, slow, target];
    expect((await runTool("hsload", ["-e", server.url, "-u", "test_user1", "-p", "test", TALL, "/home/test_user1/kept.h5"], { env })).code).toBe(0);
    const watcher = server.client();
    const temporaryExists = async () => (await domainNames(watcher, "/home/test_user1/")).some((n) => n.includes(".hsload-"));
    const result = await interruptMidLoad(args("/home/test_user1/kept.h5", "--force"), env, temporaryExists, () => server.kill());
    await watcher.close();
    expect(result.code).toBe(1);
    expect(result.stderr.split("\n").filter((l) => l !== "")).toHaveLength(1);

    await server.start();
    const client = server.client();
    try {
      // The old domain is untouched; the temporary copy could not be removed (the server was gone), but it
      // is not the target.
      expect(await verifyCopy(TALL, client.domain("/home/test_user1/kept.h5"))).toEqual([]);
      const second = await interruptMidLoad(args("/home/test_user1/new.h5"), env, async () => (await domainNames(client, "/home/test_user1/")).filter((n) => n.includes(".hsload-")).length > 1, () => server.kill());
      expect(second.code).toBe(1);
      await server.start();
      const after = server.client();
      expect(await after.domain("/home/test_user1/new.h5").getIfExists()).toBeUndefined();
      await after.close();
    } finally {
      await client.close();
    }
  });

  it("Ctrl-C: exits 130, removes its temporary domain, leaves no target", async () => {
    const local = isolatedEnv({ HS_ENDPOINT: "local", HS_USERNAME: "tester" });
    const home = join(local.XDG_DATA_HOME!, "hsds-tools", "hsdstest", "home", "tester");
    const temporaryExists = async () => existsSync(home) && readdirSync(home).some((n) => n.includes(".hsload-") && existsSync(join(home, n, ".domain.json")));
    const result = await interruptMidLoad([slow, "/home/tester/slow.h5"], local, temporaryExists, async (child) => void child.kill("SIGINT"));
    expect(result.code).toBe(130);
    expect(result.stderr.trim()).toBe("interrupted");
    const { client } = await localClient(join(local.XDG_DATA_HOME!, "hsds-tools"));
    try {
      expect(await domainNames(client, "/home/tester/")).toEqual([]);
    } finally {
      await client.close();
    }
  });

  it("--force replaces an existing domain when the new copy is complete", async () => {
    const local = isolatedEnv({ HS_ENDPOINT: "local", HS_USERNAME: "tester" });
    expect((await runTool("hsload", [TALL, "/home/tester/d.h5"], { env: local })).code).toBe(0);
    const failed = await runTool("hsload", ["--force", join(H5, "regionref_attr.h5"), "/home/tester/d.h5"], { env: local });
    expect(failed.code).toBe(1);
    const { client } = await localClient(join(local.XDG_DATA_HOME!, "hsds-tools"));
    try {
      expect(await verifyCopy(TALL, client.domain("/home/tester/d.h5"))).toEqual([]);
      expect((await runTool("hsload", ["--force", join(H5, "sample.h5"), "/home/tester/d.h5"], { env: local })).code).toBe(0);
      expect(await verifyCopy(join(H5, "sample.h5"), client.domain("/home/tester/d.h5"))).toEqual([]);
      expect(await domainNames(client, "/home/tester/")).toEqual(["/home/tester/d.h5"]);
    } finally {
      await client.close();
    }
  });
});
