// Our hsls, hsinfo (hsstat's statistics) and hsacl against hsserve on a copy of the store HSDS 0.9.4
// wrote, compared with what h5pyd 0.24 printed against HSDS itself (golden/cli/INDEX.md).
import { chmodSync, cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CliResult, isolatedEnv, runTool } from "../helpers/cli.js";
import { type RunningServer, startHsserve } from "../helpers/hsserve.js";
import { GOLDEN } from "../helpers/paths.js";

const CLI = join(GOLDEN, "cli");
const STORE = join(GOLDEN, "hsds-store");

interface Capture {
  file: string;
  tool: string;
  args: string[];
  exit: number;
}

/** The hsls / hsstat / hsinfo / hsacl rows of golden/cli/INDEX.md. */
function captures(): Capture[] {
  const rows: Capture[] = [];
  for (const line of readFileSync(join(CLI, "INDEX.md"), "utf8").split("\n")) {
    const cells = line.split("|").map((c) => c.trim());
    const file = /^`([^`]+)`/.exec(cells[1] ?? "")?.[1];
    const command = /^`(.+)`$/.exec(cells[2] ?? "")?.[1];
    if (!file || !command) continue;
    const [tool, ...args] = command.split(" ");
    if (!["hsls", "hsstat", "hsinfo", "hsacl"].includes(tool!)) continue;
    // h5pyd moved domain statistics to hsstat; our hsinfo prints them when given paths.
    rows.push({ file, tool: tool === "hsstat" ? "hsinfo" : tool!, args, exit: Number(cells[3]) });
  }
  return rows;
}

/** A private, writable copy of the store (the golden files are read-only and must stay untouched). */
function writableCopy(src: string): string {
  const dir = mkdtempSync(join(tmpdir(), "hsds-golden-"));
  cpSync(src, dir, { recursive: true });
  const makeWritable = (path: string) => {
    chmodSync(path, statSync(path).mode | 0o200);
    if (statSync(path).isDirectory()) for (const name of readdirSync(path)) makeWritable(join(path, name));
  };
  makeWritable(dir);
  return dir;
}

const golden = (file: string) => readFileSync(join(CLI, file), "utf8");
const lines = (text: string) => text.replace(/\n$/, "").split("\n");

/** Linked-chunk numbers of a domain's datasets from the scan HSDS wrote (.info.json). */
function linkedScan(rootPrefix: string): { chunks: number; bytes: number } {
  const info = JSON.parse(readFileSync(join(STORE, "hsdstest", "db", rootPrefix, ".info.json"), "utf8"));
  return { chunks: info.num_linked_chunks, bytes: info.linked_bytes };
}

/**
 * Where we deliberately differ from h5pyd, and what we check instead. Each says why.
 */
const DIFFERENCES: Record<string, (result: CliResult, capture: Capture) => void> = {
  // Uptime, node count, endpoint and the client line describe the running server and client, not the data.
  "hsinfo.txt": (result) => {
    const ours = lines(result.stdout);
    const theirs = lines(golden("hsinfo.txt"));
    const loose = /^(endpoint|node count|up|h5pyd version|hsds-tools version):/;
    expect(ours.filter((l) => !loose.test(l))).toEqual(theirs.filter((l) => !loose.test(l)));
    expect(ours.find((l) => l.startsWith("up: "))).toMatch(/^up: (\d+ min )?\d+ sec$/);
    expect(ours.at(-1)).toMatch(/^hsds-tools version: \d+\.\d+\.\d+/);
    expect(result.code).toBe(0);
  },
  // h5pyd 0.24 only says "use hsstat" here; ours gives the statistics hsstat gives.
  "hsinfo_domain.txt": (result) => {
    expect(result.stdout).toBe(golden("hsstat_tall.txt"));
    expect(result.code).toBe(0);
  },
  // h5pyd crashes reading the ACL key "username" (the server sends userName); we print the ACLs.
  "hsls_showacls_folder.txt": (result) => {
    const ours = lines(result.stdout);
    expect(ours[0]).toBe(lines(golden("hsls_showacls_folder.txt"))[0]);
    const entries = lines(golden("hsls_folder.txt"));
    expect(ours.filter((l) => !l.startsWith("    acl: "))).toEqual(entries);
    expect(ours.filter((l) => l === "    acl: test_user1               crudep")).toHaveLength(17);
    expect(ours[1]).toBe("    acl: default                  -r----");
    expect(result.code).toBe(0);
  },
  // h5pyd asks the root group for ACLs (HSDS has none there) and says "not permitted" to the owner.
  "hsls_showacls_tall.txt": (result) => {
    expect(lines(result.stdout)).toEqual(["g1 Group", "g2 Group", "    acl: test_user1               crudep"]);
    expect(result.code).toBe(0);
  },
  // For these h5pyd prints the message on stdout and exits 0; a failure gets stderr and exit code 1.
  "hsls_missing.txt": (result) => failed(result, "hsls_missing.txt"),
  "hsls_wrongpw.txt": (result) => failed(result, "hsls_wrongpw.txt"),
  "hsls_other_user.txt": (result) => failed(result, "hsls_other_user.txt"),
  // h5pyd looks only at the server's plain chunk layout and reports 0 allocated chunks for linked
  // datasets; we count the chunks linked into the source file, as the scan does.
  "hsls_r_v_link_big.txt": (result) => linked(result, "hsls_r_v_link_big.txt", "53495327-17630286", "[16, 16] 1024 bytes", "H5D_CHUNKED_REF_INDIRECT"),
  "hsls_r_v_link_small.txt": (result) => linked(result, "hsls_r_v_link_small.txt", "3f2450ca-762a6253", "[20, 20] 800 bytes", "H5D_CHUNKED_REF"),
  "hsls_r_v_link_contig.txt": (result) => linked(result, "hsls_r_v_link_contig.txt", "9da8e501-eb536ba2", "[100, 50] 40000 bytes", "H5D_CONTIGUOUS_REF"),
};

function failed(result: CliResult, file: string): void {
  expect(result.stdout).toBe("");
  expect(result.stderr).toBe(golden(file));
  expect(result.code).toBe(1);
}

function linked(result: CliResult, file: string, rootPrefix: string, chunkText: string, layout: string): void {
  const ours = lines(result.stdout);
  const theirs = lines(golden(file));
  const usage = /(Chunks|Storage \S+): /;
  expect(ours.filter((l) => !usage.test(l))).toEqual(theirs.filter((l) => !usage.test(l)));
  const { chunks, bytes } = linkedScan(rootPrefix);
  const chunkLine = ours.find((l) => l.includes("Chunks: "))!;
  const storageLine = ours.find((l) => l.includes("Storage "))!;
  expect(chunkLine).toMatch(new RegExp(`Chunks: ${chunkText.replace(/[[\]]/g, "\\$&")}, ${chunks}/\\d+ linked chunks$`));
  expect(storageLine).toContain(`Storage ${layout}: `);
  expect(storageLine).toContain(` ${bytes} linked bytes`);
}

let server: RunningServer;
let root: string;
let env: Record<string, string>;

beforeAll(async () => {
  root = writableCopy(STORE);
  server = await startHsserve({ root });
  // The captures were taken with the server in UTC.
  env = isolatedEnv({ HS_ENDPOINT: server.url, HS_USERNAME: "test_user1", HS_PASSWORD: "test", TZ: "UTC" });
});

afterAll(async () => {
  await server?.stop();
  if (root) rmSync(root, { recursive: true, force: true });
});

describe("h5pyd parity on the golden store", () => {
  const rows = captures();

  it("covers the captured hsls, hsstat, hsinfo and hsacl runs", () => {
    expect(rows.length).toBeGreaterThanOrEqual(50);
  });

  for (const capture of rows) {
    it(`${capture.file}: ${capture.tool} ${capture.args.join(" ")}`, async () => {
      const result = await runTool(capture.tool, capture.args, { env });
      const difference = DIFFERENCES[capture.file];
      if (difference) return difference(result, capture);
      expect(result.stderr).toBe("");
      expect(result.stdout).toBe(golden(capture.file));
      expect(result.code).toBe(capture.exit);
    });
  }
});
