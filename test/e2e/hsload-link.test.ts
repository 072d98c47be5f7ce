// hsload --link as users run it, into `local` and into hsserve. The link seeds are served from a bucket directory
// "h5files" under the server's root (a symlink to corpus/seeds/link), as golden/README.md describes for the real
// HSDS, so the stored layouts can be compared with what h5pyd + HSDS 0.9.4 stored, file_uri included. Values
// come back through hsget and are compared with h5diff; a moved or truncated source fails reads that need it,
// naming the file, and nothing else.
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, statSync, symlinkSync, truncateSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isolatedEnv, runTool } from "../helpers/cli.js";
import { type CliEndpoint, hsserveEndpoint, localEndpoint } from "../helpers/endpoints.js";
import { h5diff } from "../helpers/hdf5-tools.js";
import { GOLDEN } from "../helpers/paths.js";
import { goldenLinked, LINK_SEEDS } from "../loader/helpers/link-seeds.js";

const GOLDEN_FILES = ["link_contig.h5", "link_small.h5", "link_big.h5"];

/** An endpoint with the link seeds served as bucket "h5files" under its root, and how hsload names them. */
interface Target extends CliEndpoint {
  /** Where to run hsload so that `h5files/<seed>` names a seed. */
  cwd: string;
  /** A seed as hsload is given it: a path that puts it under the server's root. */
  seedArgument(file: string): string;
}

function bucketOfSeeds(root: string): void {
  mkdirSync(root, { recursive: true });
  symlinkSync(LINK_SEEDS, join(root, "h5files"));
}

async function localTarget(): Promise<Target> {
  const endpoint = await localEndpoint();
  bucketOfSeeds(endpoint.store);
  // The client knows the local engine's root: an absolute path under it becomes bucket/path.
  return { ...endpoint, cwd: tmpdir(), seedArgument: (file) => join(endpoint.store, "h5files", file) };
}

async function hsserveTarget(): Promise<Target> {
  const endpoint = await hsserveEndpoint();
  bucketOfSeeds(endpoint.store);
  // As the golden loads were made: `cd ROOT_DIR; hsload --link h5files/link_*.h5 D`.
  return { ...endpoint, cwd: endpoint.store, seedArgument: (file) => join("h5files", file) };
}


/** Bytes of every file under a directory. */
function directoryBytes(dir: string): number {
  return readdirSync(dir, { recursive: true, encoding: "utf8" }).reduce((n, f) => {
    const stat = statSync(join(dir, f));
    return stat.isFile() ? n + stat.size : n;
  }, 0);
}

describe.each([["local", localTarget], ["hsserve", hsserveTarget]] as const)("hsload --link into %s", (_name, makeTarget) => {
  let target: Target;
  const scratch = mkdtempSync(join(tmpdir(), "hsload-link-e2e-"));
  const tool = (name: string, ...args: string[]) => runTool(name, [...target.args, ...args], { env: target.env, cwd: target.cwd });
  const domainDb = async (domain: string) => {
    const root = (await (await target.client()).domain(domain).get()).root!;
    return join(target.store, "hsdstest", "db", root.slice(2, 19));
  };

  beforeAll(async () => {
    target = await makeTarget();
  });
  afterAll(() => target.stop());

  describe.each(GOLDEN_FILES)("%s", (file) => {
    const domain = () => `${target.home}/${file}`;
    const source = join(LINK_SEEDS, file);
    let loaded: { code: number; stdout: string; stderr: string };
    beforeAll(async () => {
      loaded = await tool("hsload", "--link", target.seedArgument(file), domain());
    });

    it("stores the layout and filters h5pyd sent to HSDS, file_uri h5files/<file>", async () => {
      expect(loaded.stderr).toBe("");
      expect(loaded.code).toBe(0);
      const golden = goldenLinked(file);
      const path = `/${file.replace(/^link_|\.h5$/g, "")}`;
      const ours = (await (await target.client()).domain(domain()).getDatasetByPath(path)).creationProperties!;
      const { chunk_table: table, ...layout } = ours.layout!;
      const { chunk_table: goldenTable, ...goldenLayout } = golden.creationProperties!.layout!;
      expect(layout).toEqual(goldenLayout);
      expect(typeof table).toBe(typeof goldenTable);
      expect(ours.filters).toEqual(golden.creationProperties!.filters);
    });

    it("reads back equal to the source: hsget, then h5diff", async () => {
      const out = join(scratch, file);
      const got = await tool("hsget", domain(), out);
      expect(got.code, got.stderr).toBe(0);
      expect(h5diff(source, out)).toEqual({ code: 0, out: "" });
    });

    it("lists as a copy does (hsls -r), and as the golden capture shows", async () => {
      const copy = `${target.home}/copy_${file}`;
      expect((await tool("hsload", source, copy)).code).toBe(0);
      const linked = await tool("hsls", "-r", domain());
      expect(linked.code).toBe(0);
      expect(linked.stdout).toBe((await tool("hsls", "-r", copy)).stdout);
      expect(linked.stdout).toBe(readFileSync(join(GOLDEN, "cli", `hsls_r_${file.replace(".h5", ".txt")}`), "utf8"));
    });

    it("keeps only metadata and chunk tables in the domain's storage", async () => {
      // The sources hold 46 kB (contig) to 214 kB (big); the metadata and link_big's 3 kB table are a few kB.
      const bytes = directoryBytes(await domainDb(domain()));
      expect(bytes).toBeLessThan(8000);
      expect(bytes * 5).toBeLessThan(statSync(source).size);
    });
  });

  it("hsinfo DOMAIN reports the linked bytes and chunks", async () => {
    const info = await tool("hsinfo", `${target.home}/link_big.h5`);
    expect(info.code).toBe(0);
    expect(info.stdout).toMatch(/linked_bytes: +193066\n/);
    expect(info.stdout).toMatch(/linked chunks: +256\n/);
  });

  it("names a source outside the server's root by its absolute path, which this engine reads", async () => {
    const source = join(LINK_SEEDS, "link_small.h5");
    const domain = `${target.home}/absolute.h5`;
    expect((await tool("hsload", "--link", source, domain)).code).toBe(0);
    const small = await (await target.client()).domain(domain).getDatasetByPath("/small");
    expect(small.creationProperties!.layout!.file_uri).toBe(source);
    const out = join(scratch, "absolute.h5");
    expect((await tool("hsget", domain, out)).code).toBe(0);
    expect(h5diff(source, out).code).toBe(0);
  });

  it("stores --linkpath instead of the source path", async () => {
    const domain = `${target.home}/linkpath.h5`;
    const loaded = await tool("hsload", "--link", "--linkpath", "h5files/link_small.h5", join(LINK_SEEDS, "link_small.h5"), domain);
    expect(loaded.code, loaded.stderr).toBe(0);
    const small = await (await target.client()).domain(domain).getDatasetByPath("/small");
    expect(small.creationProperties!.layout!.file_uri).toBe("h5files/link_small.h5");
    const out = join(scratch, "linkpath.h5");
    expect((await tool("hsget", domain, out)).code).toBe(0);
    expect(h5diff(join(LINK_SEEDS, "link_small.h5"), out).code).toBe(0);
  });

  describe("a source moved or truncated after the load", () => {
    const files = mkdtempSync(join(tmpdir(), "hsload-link-sources-"));
    const copyOf = (file: string) => {
      const path = join(files, file);
      copyFileSync(join(LINK_SEEDS, file), path);
      return path;
    };
    const read = (domain: string) => tool("hsget", domain, join(scratch, `${domain.split("/").pop()}.out.h5`));

    it("fails the read with exit 1 and a message naming the moved file; the server answers the next request", async () => {
      const big = copyOf("link_big.h5");
      expect((await tool("hsload", "--link", big, `${target.home}/moved.h5`)).code).toBe(0);
      renameSync(big, `${big}.moved`);
      const failed = await read(`${target.home}/moved.h5`);
      expect(failed.code).toBe(1);
      expect(failed.stderr).toContain(`linked file ${big} not found`);
      const after = await tool("hsget", `${target.home}/link_small.h5`, join(scratch, "after-moved.h5"));
      expect(after.code, after.stderr).toBe(0);
    });

    it("fails the read with exit 1 and a message naming the truncated file; the server answers the next request", async () => {
      const small = copyOf("link_small.h5");
      expect((await tool("hsload", "--link", small, `${target.home}/truncated.h5`)).code).toBe(0);
      truncateSync(small, 9000);
      const failed = await read(`${target.home}/truncated.h5`);
      expect(failed.code).toBe(1);
      expect(failed.stderr).toContain(`linked file ${small} is truncated`);
      const after = await tool("hsls", "-r", `${target.home}/link_small.h5`);
      expect(after).toMatchObject({ code: 0, stdout: "/small Dataset {40, 40}\n" });
    });

    // The range asked for never goes past offset + size: a short read of contiguous data is a truncated file,
    // not the dataset's edge.
    it("fails the read of truncated contiguous data too", async () => {
      const contig = copyOf("link_contig.h5");
      expect((await tool("hsload", "--link", contig, `${target.home}/truncated_contig.h5`)).code).toBe(0);
      truncateSync(contig, 20000);
      const failed = await read(`${target.home}/truncated_contig.h5`);
      expect(failed.code).toBe(1);
      expect(failed.stderr).toContain(contig);
    });
  });
});

describe("hsload --link refuses what cannot work", () => {
  const env = isolatedEnv({ HS_ENDPOINT: "local", HS_USERNAME: "tester" });
  const hsload = (...args: string[]) => runTool("hsload", args, { env });
  const small = join(LINK_SEEDS, "link_small.h5");

  it("--linkpath without --link, --nodata with --link, --linkpath with several sources: usage errors", async () => {
    expect(await hsload("--linkpath", "h5files/x.h5", small, "/home/tester/x.h5")).toMatchObject({ code: 2, stderr: "--linkpath needs --link\n" });
    expect(await hsload("--link", "--nodata", small, "/home/tester/x.h5")).toMatchObject({ code: 2, stderr: expect.stringMatching(/--nodata and --link/) });
    expect(await hsload("--link", "--linkpath", "h5files/x.h5", small, small, "/home/tester/")).toMatchObject({ code: 2, stderr: expect.stringMatching(/--linkpath names one file/) });
  });

  describe("with an HTTP endpoint, whose root directory the client does not know", () => {
    let server: CliEndpoint;
    const parent = mkdtempSync(join(tmpdir(), "hsload-link-cwd-"));
    const hsloadIn = (cwd: string, ...args: string[]) => runTool("hsload", [...server.args, ...args], { env: server.env, cwd });
    beforeAll(async () => {
      server = await hsserveEndpoint();
      bucketOfSeeds(parent);
      symlinkSync(small, join(parent, "x.h5"));
      mkdirSync(join(parent, "run"));
    });
    afterAll(() => server.stop());

    it("refuses a relative source above the directory hsload runs in", async () => {
      const result = await hsloadIn(join(parent, "run"), "--link", "../x.h5", "/home/test_user1/x.h5");
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/\.\.\/x\.h5 .*absolute path or --linkpath/);
    });

    it("fails a load whose relative file_uri the server cannot find, and leaves no domain", async () => {
      // h5files/link_small.h5 exists beside hsload, not under the server's root.
      const result = await hsloadIn(parent, "--link", "h5files/link_small.h5", "/home/test_user1/elsewhere.h5");
      expect(result.code).toBe(1);
      expect(result.stderr.trim()).toBe(
        "the server cannot read the linked file h5files/link_small.h5 (a relative path names a file under the server's root directory: " +
          "run hsload there, or give --linkpath): linked file h5files/link_small.h5 not found",
      );
      const listed = await runTool("hsls", [...server.args, "/home/test_user1/"], { env: server.env });
      expect(listed.stdout).not.toMatch(/elsewhere|hsload-/);
    });
  });
});
