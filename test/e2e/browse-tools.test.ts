// hstouch, hsls, hsinfo, hsacl, hsrm and hsconfigure as users run them, against hsserve over HTTP
// and against the embedded engine (file:// endpoint), each in a fresh store.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir, userInfo } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HsdsClient } from "../../src/client/hsds-client.js";
import { HttpTransport } from "../../src/client/http-transport.js";
import { LocalTransport } from "../../src/client/local-transport.js";
import { openLocalEngine } from "../../src/engine/local-engine.js";
import { isolatedEnv, runTool } from "../helpers/cli.js";
import { type RunningServer, startHsserve } from "../helpers/hsserve.js";

interface Backend {
  name: string;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Environment that points the tools at this backend as the main user. */
  env(): Record<string, string>;
  /** A client in this process, for setting up data the tools then read. */
  client(): Promise<HsdsClient>;
  user: string;
  /** What `hsconfigure -e` should be given. */
  endpoint(): string;
}

function hsserveBackend(): Backend {
  let server: RunningServer;
  return {
    name: "hsserve",
    user: "test_user1",
    start: async () => {
      server = await startHsserve();
    },
    stop: async () => {
      await server.stop();
      rmSync(server.root, { recursive: true, force: true });
    },
    env: () => isolatedEnv({ HS_ENDPOINT: server.url, HS_USERNAME: "test_user1", HS_PASSWORD: "test", TZ: "UTC" }),
    client: async () => new HsdsClient(new HttpTransport({ endpoint: server.url, username: "test_user1", password: "test" })),
    endpoint: () => server.url,
  };
}

function localBackend(): Backend {
  const dir = mkdtempSync(join(tmpdir(), "hsds-local-"));
  const user = userInfo().username;
  return {
    name: "local",
    user,
    start: async () => {},
    stop: async () => rmSync(dir, { recursive: true, force: true }),
    env: () => isolatedEnv({ HS_ENDPOINT: pathToFileURL(dir).href, TZ: "UTC" }),
    client: async () => {
      const { engine, principal } = await openLocalEngine(dir, user);
      return new HsdsClient(new LocalTransport("local", engine, principal));
    },
    endpoint: () => pathToFileURL(dir).href,
  };
}

const out = (text: string) => text.replace(/\n$/, "").split("\n");

describe.each([hsserveBackend(), localBackend()])("browse tools on $name", (backend) => {
  let home: string;
  let proj: string;
  let rootId: string;
  let chunkDims: number[];
  /** Chunks holding rows 0..19, the only ones written. */
  const written = () => Math.ceil(20 / chunkDims[0]!);
  const run = (tool: string, args: string[], env = backend.env()) => runTool(tool, args, { env });

  beforeAll(async () => {
    await backend.start();
    home = `/home/${backend.user}`;
    proj = `${home}/proj`;
  });
  afterAll(() => backend.stop());

  it("creates folders and domains with hstouch", async () => {
    const result = await run("hstouch", ["-v", `${proj}/`, `${proj}/a.h5`, `${proj}/sub/`, `${proj}/sub/b.h5`]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const lines = out(result.stdout);
    expect(lines[0]).toBe(`folder created ${proj}/`);
    expect(lines[1]).toMatch(new RegExp(`^domain created: ${proj}/a\\.h5, root id: (g-[0-9a-f-]+)$`));
    expect(lines[2]).toBe(`folder created ${proj}/sub/`);
    rootId = /root id: (\S+)$/.exec(lines[1]!)![1]!;
  });

  it("touches an existing domain by writing the hstouch attribute, and refuses folders and missing parents", async () => {
    const touched = await run("hstouch", ["-v", `${proj}/a.h5`]);
    expect(touched.stdout).toBe(`updated timestamp for domain: ${proj}/a.h5\n`);
    const attrs = await run("hsls", ["--showattrs", `${proj}/a.h5`]);
    expect(attrs.stdout).toBe("   attr: hstouch                  1\n");
    const folder = await run("hstouch", [`${proj}/sub/`]);
    expect([folder.code, folder.stderr]).toEqual([1, "Can not update timestamp of folder object\n"]);
    const orphan = await run("hstouch", [`${proj}/nope/x.h5`]);
    expect([orphan.code, orphan.stderr]).toEqual([1, `Parent domain: ${proj}/nope/ not found\n`]);
  });

  it("lists a domain's contents, recursively and verbosely", async () => {
    const client = await backend.client();
    try {
      const d = client.domain(`${proj}/a.h5`);
      const g = await d.createGroup({ link: { id: rootId, name: "g1" } });
      await d.createDataset({
        type: "H5T_STD_I32LE",
        shape: [100, 50],
        maxdims: [0, 50],
        creationProperties: { layout: { class: "H5D_CHUNKED", dims: [10, 50] }, filters: [{ class: "H5Z_FILTER_SHUFFLE", id: 2, name: "shuffle" }, { class: "H5Z_FILTER_DEFLATE", id: 1, level: 5, name: "deflate" }] },
        link: { id: g.id, name: "data" },
      });
      const ds = await d.getDatasetByPath("/g1/data");
      // The server picks its own chunk shape (HSDS aims at 1-4 MiB chunks).
      chunkDims = ds.layout!.dims!;
      await d.writeValue(ds.id, new Uint8Array(20 * 50 * 4).fill(1), { select: "[0:20,:]" });
      await d.putLink(rootId, "alias", { h5path: "/g1/data" });
      await d.putLink(g.id, "again", { id: ds.id });
      await d.flush();
    } finally {
      await client.close();
    }
    const flat = await run("hsls", [`${proj}/a.h5`]);
    expect(out(flat.stdout)).toEqual(["alias SoftLink {/g1/data}", "g1 Group"]);
    const deep = await run("hsls", ["-r", `${proj}/a.h5`]);
    expect(out(deep.stdout)).toEqual([
      "/alias                   SoftLink {/g1/data}",
      "/g1 Group",
      "/g1/again Dataset {100, 50}",
      "/g1/data                 Dataset, same as /g1/again",
    ]);
    const verbose = await run("hsls", ["-r", "-v", `${proj}/a.h5/g1/again`]);
    expect(out(verbose.stdout)).toEqual([
      "/g1/again Dataset {100/Inf, 50/50}",
      expect.stringMatching(/^ {32}UUID: d-[0-9a-f-]+$/),
      `                              Chunks: [${chunkDims.join(", ")}] ${chunkDims[0]! * chunkDims[1]! * 4} bytes, ${written()}/${Math.ceil(100 / chunkDims[0]!)} allocated chunks`,
      expect.stringMatching(/^ {17}Storage H5D_CHUNKED: 20000 logical bytes, \d+ allocated bytes, \d+\.\d\d% utilization$/),
      "                            Filter-0: shuffle OPT {5}",
      "                            Filter-1: deflate OPT {5}",
      "                                Type: int32",
    ]);
  });

  it("lists folders: one line per entry, -r, -n, -v and --json", async () => {
    const plain = await run("hsls", [`${proj}/`]);
    const rows = out(plain.stdout).map((l) => [l.slice(0, 35).trim(), l.slice(52, 61).trim(), l.slice(81)]);
    expect(rows).toEqual([
      [backend.user, "folder", `${proj}/`],
      [backend.user, "domain", `${proj}/a.h5`],
      [backend.user, "folder", `${proj}/sub/`],
      ["3 items", "", ""],
    ]);
    expect(out(plain.stdout)[0]).toMatch(/ 20\d\d-\d\d-\d\d \d\d:\d\d:\d\d \/home\//);

    const recursive = await run("hsls", ["-r", `${proj}/`]);
    expect(out(recursive.stdout).map((l) => l.slice(81))).toEqual([`${proj}/`, `${proj}/a.h5`, `${proj}/sub/`, `${proj}/sub/`, `${proj}/sub/b.h5`, ""]);
    expect(out(recursive.stdout).at(-1)).toBe("5 items");

    const names = await run("hsls", ["-n", "-r", `${proj}/`]);
    expect(out(names.stdout)).toEqual(["a.h5", "sub/", "sub/b.h5"]);

    const stats = JSON.parse((await run("hsinfo", ["--json", `${proj}/a.h5`])).stdout);
    const size: number = stats.results[0].total_size;
    expect(size).toBeGreaterThan(0);
    const verbose = await run("hsls", ["-v", `${proj}/`]);
    expect(verbose.stderr).toBe("");
    expect(out(verbose.stdout)[1]!.slice(36, 51).trim()).toBe(String(size));
    expect(out(verbose.stdout).at(-1)).toBe(`${size} bytes`);

    const json = JSON.parse((await run("hsls", ["--json", "-r", `${proj}/`])).stdout);
    expect(json.results[0].folder).toBe(`${proj}/`);
    expect(json.results[0].entries.map((e: { path: string }) => e.path)).toEqual([`${proj}/a.h5`, `${proj}/sub/`, `${proj}/sub/b.h5`]);
  });

  it("reports server and domain statistics with hsinfo", async () => {
    const server = await run("hsinfo", []);
    expect(server.code).toBe(0);
    const lines = out(server.stdout);
    expect(lines).toContain("server state: READY");
    expect(lines.find((l) => l.startsWith("username: "))).toMatch(new RegExp(`^username: ${backend.user} `));
    expect(lines).toContain(`home: ${home}/`);

    const stats = await run("hsinfo", [`${proj}/a.h5`, `${proj}/`]);
    const text = out(stats.stdout);
    expect(text.slice(0, 3)).toEqual([`domain: ${proj}/a.h5`, `    owner:           ${backend.user}`, `    id:              ${rootId}`]);
    expect(text).toContain("    num objects:     3");
    expect(text).toContain(`    num chunks:      ${written()}`);
    expect(text).toContain(`folder: ${proj}/`);
  });

  it("removes domains and folders; a folder with contents needs -r", async () => {
    const refused = await run("hsrm", [`${proj}/`]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^folder has sub-items: /);
    const removed = await run("hsrm", ["-v", "-r", `${proj}/`]);
    expect(removed.code).toBe(0);
    expect(out(removed.stdout)).toEqual([
      `Domain: ${proj}/a.h5 deleted`,
      `Domain: ${proj}/sub/b.h5 deleted`,
      `Folder: ${proj}/sub/ deleted`,
      `Folder: ${proj}/ deleted`,
    ]);
    const gone = await run("hsls", [`${proj}/`]);
    expect([gone.code, gone.stderr]).toEqual([1, `Folder ${proj}/ not found\n`]);
    const missing = await run("hsrm", [`${proj}/a.h5`]);
    expect([missing.code, missing.stderr]).toEqual([1, `domain: ${proj}/a.h5 not found\n`]);
    const ignored = await run("hsdel", ["--ignore", `${proj}/a.h5`]);
    expect(ignored.code).toBe(0);
  });

  it("saves ~/.hscfg with hsconfigure, and the next tool uses it", async () => {
    await run("hstouch", [`${home}/cfg.h5`]);
    const env = isolatedEnv({ TZ: "UTC" });
    const answers =
      backend.name === "hsserve" ? `${backend.endpoint()}\ntest_user1\ntest\n\ny\n` : `${backend.endpoint()}\n\n\n\ny\n`;
    const configured = await runTool("hsconfigure", [], { env, input: answers });
    expect(configured.code).toBe(0);
    expect(configured.stdout).toContain("connection ok");
    expect(configured.stdout).toContain(`Saving config file to: ${join(env.HOME!, ".hscfg")}`);
    const saved = readFileSync(join(env.HOME!, ".hscfg"), "utf8");
    expect(saved).toContain(`hs_endpoint = ${backend.endpoint()}`);
    const listed = await runTool("hsls", [`${home}/`], { env });
    expect(listed.code).toBe(0);
    expect(out(listed.stdout).map((l) => l.slice(81))).toContain(`${home}/cfg.h5`);
  });

  it("configures without questions from flags", async () => {
    const env = isolatedEnv();
    const saved = await runTool("hsconfigure", ["-e", backend.endpoint(), ...(backend.name === "hsserve" ? ["-u", "test_user1", "-p", "test"] : [])], { env });
    expect(saved.code).toBe(0);
    expect(readFileSync(join(env.HOME!, ".hscfg"), "utf8")).toMatch(/^# HDFCloud configuration file\nhs_endpoint = /);
  });
});

describe("ACLs on hsserve", () => {
  const backend = hsserveBackend();
  beforeAll(() => backend.start());
  afterAll(() => backend.stop());

  it("grants and revokes another user's read access with hsacl", async () => {
    const domain = "/home/test_user1/shared.h5";
    const asOther = { ...backend.env(), HS_USERNAME: "test_user2" };
    expect((await runTool("hstouch", [domain], { env: backend.env() })).code).toBe(0);
    const before = await runTool("hsls", [domain], { env: asOther });
    expect([before.code, before.stderr]).toEqual([1, `No permission to read domain: ${domain}\n`]);

    const granted = await runTool("hsacl", [domain, "+r", "test_user2"], { env: backend.env() });
    expect(granted.code).toBe(0);
    expect(out(granted.stdout).at(-1)).toBe("     test_user2      False      True     False     False     False     False ");
    expect((await runTool("hsls", [domain], { env: asOther })).code).toBe(0);

    const revoked = await runTool("hsacl", [domain, "-r", "test_user2"], { env: backend.env() });
    expect(out(revoked.stdout).at(-1)).toBe("     test_user2      False     False     False     False     False     False ");
    const after = await runTool("hsls", [domain], { env: asOther });
    expect([after.code, after.stderr]).toEqual([1, `No permission to read domain: ${domain}\n`]);

    const table = await runTool("hsacl", [domain], { env: backend.env() });
    expect(out(table.stdout).map((l) => l.trim().split(/\s+/)[0])).toEqual(["username", "--------------------------------------------------------------------------------", "test_user1", "test_user2"]);
    const shut = await runTool("hsacl", [domain], { env: asOther });
    expect([shut.code, shut.stderr]).toEqual([1, `access is not authorized: ${domain}\n`]);
    await runTool("hsacl", [domain, "+r", "test_user2"], { env: backend.env() });
    const denied = await runTool("hsacl", [domain], { env: asOther });
    expect([denied.code, denied.stderr]).toEqual([1, "User test_user2 does not have permission to read ACL for this domain\n"]);
    const own = await runTool("hsacl", [domain, "test_user2"], { env: asOther });
    expect(own.code).toBe(0);

    // Reading statistics needs read; recomputing them needs update.
    expect((await runTool("hsinfo", [domain], { env: asOther })).code).toBe(0);
    const rescan = await runTool("hsinfo", ["--rescan", domain], { env: asOther });
    expect([rescan.code, rescan.stderr]).toEqual([1, "Not allowed\n"]);
    const owner = await runTool("hsinfo", ["--rescan", domain], { env: backend.env() });
    expect(owner.code).toBe(0);
    expect(owner.stdout).toMatch(/^domain: \/home\/test_user1\/shared\.h5\n/);
  });
});
