// hsdiff run as users run it: against the domain the real HSDS and h5pyd made of tall.h5 it is silent like
// h5pyd; changes made through the client after a load are each one line naming the HDF5 path. (That it is
// silent after hsload of every corpus file is checked with the corpus round trip, roundtrip-corpus.test.ts.)
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HsdsClient } from "../../src/client/hsds-client.js";
import { isolatedEnv, runTool } from "../helpers/cli.js";
import { CLI_ENDPOINTS, type CliEndpoint, hsserveEndpoint } from "../helpers/endpoints.js";
import { CORPUS, GOLDEN } from "../helpers/paths.js";
import { copyGoldenStore } from "../export/golden-domains.js";

const H5 = join(CORPUS, "hdf5-json", "h5");
const TALL = join(H5, "tall.h5");

describe.each(CLI_ENDPOINTS)("hsdiff against %s", (_name, open) => {
  let endpoint: CliEndpoint;
  const tool = (name: string, ...args: string[]) => runTool(name, [...endpoint.args, ...args], { env: endpoint.env, timeoutMs: 300_000 });
  const hsdiff = (...args: string[]) => tool("hsdiff", ...args);

  beforeAll(async () => {
    endpoint = await open();
    const loaded = await tool("hsload", TALL, `${endpoint.home}/tall.h5`);
    expect(loaded.code, loaded.stderr).toBe(0);
  }, 300_000);
  afterAll(() => endpoint.stop());

  describe("changes made through the client after a load", () => {
    let count = 0;
    /** A fresh copy of tall.h5, changed by `change`; then hsdiff's result. */
    const changed = async (change: (domain: ReturnType<HsdsClient["domain"]>) => Promise<void>, ...options: string[]) => {
      const path = `${endpoint.home}/changed-${++count}.h5`;
      expect((await tool("hsload", TALL, path)).code).toBe(0);
      const domain = (await endpoint.client()).domain(path);
      await change(domain);
      await domain.flush();
      return hsdiff(...options, TALL, path);
    };
    const idOf = async (domain: ReturnType<HsdsClient["domain"]>, h5path: string) => (await domain.getByPath(h5path)).id;

    it("a changed value: its dataset and the element", async () => {
      const result = await changed(async (domain) => {
        const id = await idOf(domain, "/g1/g1.1/dset1.1.1");
        await domain.writeValue(id, new Uint8Array([0, 0, 3, 231]), { select: "[2:3,3:4]" });
      });
      expect(result.stdout).toBe("/g1/g1.1/dset1.1.1: values differ at [2, 3]: 6 in the file, 999 in the domain\n1 difference found\n");
      expect(result.code).toBe(1);
    });

    it("a changed attribute value", async () => {
      const result = await changed(async (domain) => {
        await domain.putAttribute((await domain.get()).root!, "attr2", { type: "H5T_STD_I32BE", shape: [2, 2], value: [[0, 1], [2, 5]] });
      });
      expect(result.stdout).toBe("/@attr2: values differ at [1, 1]: 3 in the file, 5 in the domain\n1 difference found\n");
      expect(result.code).toBe(1);
    });

    it("a dataset of another type under the same name", async () => {
      const result = await changed(async (domain) => {
        const group = await idOf(domain, "/g1/g1.1");
        await domain.deleteLink(group, "dset1.1.2");
        await domain.createDataset({ type: "H5T_STD_I32LE", shape: [20], link: { id: group, name: "dset1.1.2" } });
      });
      expect(result.stdout).toBe("/g1/g1.1/dset1.1.2: type differs: H5T_STD_I32BE in the file, H5T_STD_I32LE in the domain\n1 difference found\n");
      expect(result.code).toBe(1);
    });

    it("a deleted link", async () => {
      const result = await changed(async (domain) => domain.deleteLink(await idOf(domain, "/g2"), "dset2.2"));
      expect(result.stdout).toBe("/g2/dset2.2: dataset only in the file\n1 difference found\n");
      expect(result.code).toBe(1);
    });

    it("an added object", async () => {
      const result = await changed(async (domain) => {
        await domain.createGroup({ link: { id: (await domain.get()).root!, name: "extra" } });
      });
      expect(result.stdout).toBe("/extra: group only in the domain\n1 difference found\n");
      expect(result.code).toBe(1);
    });

    it("--quiet prints nothing; the exit code tells", async () => {
      const result = await changed(async (domain) => domain.deleteLink(await idOf(domain, "/g2"), "dset2.2"), "--quiet");
      expect(result.stdout + result.stderr).toBe("");
      expect(result.code).toBe(1);
    });

    it("--nodata does not see a changed value, --noattr a changed attribute", async () => {
      const value = await changed(async (domain) => {
        await domain.writeValue(await idOf(domain, "/g2/dset2.1"), new Uint8Array([0x40, 0x49, 0x0f, 0xdb]), { select: "[5:6]" });
      }, "--nodata");
      expect(value.stdout).toBe("");
      expect(value.code).toBe(0);
      const attribute = await changed(async (domain) => {
        await domain.putAttribute((await domain.get()).root!, "attr2", { type: "H5T_STD_I32BE", shape: [2, 2], value: [[0, 1], [2, 5]] });
      }, "--noattr");
      expect(attribute.stdout).toBe("");
      expect(attribute.code).toBe(0);
    });

    it("--json lists the differences", async () => {
      const result = await changed(async (domain) => {
        await domain.writeValue(await idOf(domain, "/g2/dset2.1"), new Uint8Array([0x40, 0x49, 0x0f, 0xdb]), { select: "[5:6]" });
      }, "--json");
      expect(JSON.parse(result.stdout)).toEqual([
        {
          path: "/g2/dset2.1",
          kind: "values",
          at: [5],
          file: "1.5",
          domain: "3.1415927410125732",
          message: "/g2/dset2.1: values differ at [5]: 1.5 in the file, 3.1415927410125732 in the domain",
        },
      ]);
      expect(result.code).toBe(1);
    });
  });

  it("-v lists what was compared", async () => {
    const result = await hsdiff("-v", TALL, `${endpoint.home}/tall.h5`);
    expect(result.stdout.split("\n")).toEqual([
      "compared /: group, 2 links, 2 attributes",
      "compared /g1: group, 2 links, 0 attributes",
      "compared /g1/g1.1: group, 2 links, 0 attributes",
      "compared /g1/g1.1/dset1.1.1: dataset, type, shape, 2 attributes, values in 1 block",
      "compared /g1/g1.1/dset1.1.2: dataset, type, shape, 0 attributes, values in 1 block",
      "compared /g1/g1.2: group, 2 links, 0 attributes",
      "compared /g1/g1.2/g1.2.1: group, 1 link, 0 attributes",
      "compared /g2: group, 2 links, 0 attributes",
      "compared /g2/dset2.1: dataset, type, shape, 0 attributes, values in 1 block",
      "compared /g2/dset2.2: dataset, type, shape, 0 attributes, values in 1 block",
      "",
    ]);
    expect(result.code).toBe(0);
  });

  it("a file or a domain that cannot be opened is an error, not a difference", async () => {
    const noFile = await hsdiff(join(H5, "nosuch.h5"), `${endpoint.home}/tall.h5`);
    expect(noFile.stderr).toBe(`error: cannot open the file: ${join(H5, "nosuch.h5")}: no such file (nothing was compared)\n`);
    expect(noFile.stdout).toBe("");
    expect(noFile.code).toBe(1);
    const notHdf5 = await hsdiff(join(H5, "notahdf5file.h5"), `${endpoint.home}/tall.h5`);
    expect(notHdf5.stderr).toMatch(/^error: cannot open the file: .*notahdf5file\.h5: not an HDF5 file .*\(nothing was compared\)\n$/);
    expect(notHdf5.code).toBe(1);
    const noDomain = await hsdiff(TALL, `${endpoint.home}/nosuch.h5`);
    expect(noDomain.stderr).toBe(`error: cannot open the domain: domain not found: ${endpoint.home}/nosuch.h5 (nothing was compared)\n`);
    expect(noDomain.stdout).toBe("");
    expect(noDomain.code).toBe(1);
  });
});

describe("hsdiff usage", () => {
  it("refuses --quiet with -v or --json, a folder, and a missing argument (exit 2)", async () => {
    for (const args of [["--quiet", "-v", TALL, "/home/u/tall.h5"], ["--quiet", "--json", TALL, "/home/u/tall.h5"], [TALL, "/home/u/"], [TALL]]) {
      const result = await runTool("hsdiff", args, { env: isolatedEnv({ HS_ENDPOINT: "local", HS_USERNAME: "u" }) });
      expect(result.code, args.join(" ")).toBe(2);
      expect(result.stdout).toBe("");
    }
  });
});

describe("hsdiff against the domains HSDS 0.9.4 and h5pyd's hsload made (golden store)", () => {
  let server: CliEndpoint;
  const hsdiff = (file: string, domain: string) => runTool("hsdiff", [...server.args, file, `${server.home}/golden/${domain}`], { env: server.env });
  beforeAll(async () => {
    server = await hsserveEndpoint({ root: copyGoldenStore() });
  });
  afterAll(() => server.stop());

  it("tall.h5: prints nothing and exits 0, like h5pyd's hsdiff", async () => {
    const result = await hsdiff(TALL, "tall.h5");
    expect(result.stdout).toBe(readFileSync(join(GOLDEN, "cli", "hsdiff_tall.txt"), "utf8"));
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
  });

  it.each([
    [join(H5, "enum_dset.h5"), "enum_dset.h5"],
    [join(H5, "objref_dset.h5"), "objref_dset.h5"],
    [join(H5, "resizable.h5"), "resizable.h5"],
    [join(H5, "dset_gzip.h5"), "dset_gzip.h5"],
    [join(H5, "h5ex_d_shuffle.h5"), "h5ex_d_shuffle.h5"],
    // Loaded with --link: the values are read from the same file through the server.
    [join(CORPUS, "seeds", "link", "link_big.h5"), "link_big.h5"],
    [join(CORPUS, "seeds", "link", "link_contig.h5"), "link_contig.h5"],
  ])("%s: nothing", async (file, domain) => {
    const result = await hsdiff(file, domain);
    expect(result.stdout + result.stderr).toBe("");
    expect(result.code).toBe(0);
  });

  it("names the string types h5pyd's hsload changed (docs/hsdiff.md)", async () => {
    const vlen = await hsdiff(join(H5, "vlen_string_dset.h5"), "vlen_string_dset.h5");
    expect(vlen.stdout).toBe(
      "/DS1: type differs: H5T_STRING(variable, H5T_CSET_ASCII, H5T_STR_SPACEPAD) in the file, H5T_STRING(variable, H5T_CSET_ASCII, H5T_STR_NULLTERM) in the domain\n1 difference found\n",
    );
    const compound = await hsdiff(join(H5, "compound.h5"), "compound.h5");
    expect(compound.stdout).toBe(
      "/@note: type differs: H5T_STRING(variable, H5T_CSET_ASCII, H5T_STR_NULLTERM) in the file, H5T_STRING(variable, H5T_CSET_UTF8, H5T_STR_NULLTERM) in the domain\n1 difference found\n",
    );
    expect(compound.code).toBe(1);
  });
});
