// Issue 3's fidelity check: every file of the hdf5-json corpus loaded with hsload into `local` and
// into hsserve, downloaded again with hsget, compared with h5diff (Debian's hdf5-tools) and, where the
// corpus has a description, listed with hsls -r against the structure the description gives; and
// hsdiff, the check a CI data-loading step runs, finds nothing but what hsload --ignore left out.
// Files whose round trip cannot be exact pin exactly their documented deviations (docs/hsget.md and
// the loader's notes): the objects that are missing from the copy and why.
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdtempSync, readFileSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runTool } from "../helpers/cli.js";
import { CLI_ENDPOINTS, type CliEndpoint } from "../helpers/endpoints.js";
import { h5diff } from "../helpers/hdf5-tools.js";
import { CORPUS } from "../helpers/paths.js";

const H5 = join(CORPUS, "hdf5-json", "h5");
const JSON_DIR = join(CORPUS, "hdf5-json", "json");
const FILES = readdirSync(H5).filter((f) => f.endsWith(".h5") && f !== "notahdf5file.h5").sort();

/**
 * Objects in the source that the round trip does not reproduce, with the reason. Everything else
 * must compare equal. hsget reasons: h5wasm cannot commit datatypes, nor write arrays inside
 * compounds, nor variable-length sequences; hsload reasons: region references and a missing
 * external raw-data file are left out with --ignore.
 */
const MISSING: Record<string, string[]> = {
  "committed_type.h5": ["/Sensor_Type"],
  "compound_array.h5": ["/dset"],
  "compound_array_dset.h5": ["/DS1"],
  "compound_committed.h5": ["/types/date", "/types/temp", "/types/time"],
  "h5ex_d_extern.h5": ["/DS1"],
  "sample.h5": ["/dset3", "/group1/dset3", "/type1"],
  "tallrw.h5": ["/myrefs"],
  "vlen_dset.h5": ["/DS1"],
};
/** What hsload --ignore leaves out (region references, a missing external raw data file): hsdiff names it. */
const HSDIFF_LEFT_OUT: Record<string, string> = {
  "h5ex_d_extern.h5": "/DS1: dataset only in the file",
  "regionref_attr.h5": "/DS1@A1: attribute only in the file",
  "tallrw.h5": "/myrefs: dataset only in the file",
};

/**
 * Attributes the copy cannot hold (h5diff then exits 1 without listing a difference): an array
 * inside a compound and a variable-length sequence (hsget: h5wasm cannot write them), a region
 * reference (hsload leaves it out with --ignore).
 */
const MISSING_ATTRIBUTES: Record<string, { object: string; name: string }> = {
  "compound_array_attr.h5": { object: "/DS1", name: "A1" },
  "vlen_attr.h5": { object: "/DS1", name: "A1" },
  "regionref_attr.h5": { object: "/DS1", name: "A1" },
};

/** h5serv kept its bookkeeping in a /__db__ group that the hdf5-json description leaves out; hsload copies it. */
const UNDESCRIBED_PREFIX: Record<string, string> = { "dset_creationprop.h5": "/__db__" };

function attributeNames(file: string, object: string): string[] {
  const dump = spawnSync("h5dump", ["-A", "-o", "/dev/null", "-N", object, file], { encoding: "utf8" }).stdout;
  return [...dump.matchAll(/^\s*ATTRIBUTE "([^"]+)"/gm)].map((m) => m[1]!);
}

/**
 * Objects h5diff can compare between a source and a byte copy of it but not between the source and our
 * round trip, with the documented reason (docs/hsget.md): hsget writes a null dataspace as an empty
 * one-dimensional one (h5wasm has no null dataspace), array/bitfield/enum/opaque types as their
 * integer or float base (h5wasm cannot create those classes); and a dataset whose source wrote only
 * zeros keeps unallocated storage (hsload, like HSDS, stores no all-fill chunk, so the domain cannot
 * tell it from one never written). Values compare equal everywhere.
 */
const NOT_COMPARABLE: Record<string, string[]> = {
  "array_attr.h5": [
    "</DS1> has rank 0, dimensions H5S_SCALAR, max dimensions H5S_SCALAR",
    "<A1> is of class H5T_ARRAY and <A1> is of class H5T_INTEGER",
  ],
  "array_dset.h5": [
    "</DS1> is of class H5T_ARRAY and </DS1> is of class H5T_INTEGER",
  ],
  "arraytype.h5": [
    "</array> is of class H5T_ARRAY and </array> is of class H5T_FLOAT",
  ],
  "bitfield_attr.h5": [
    "</DS1> has rank 0, dimensions H5S_SCALAR, max dimensions H5S_SCALAR",
    "<A1> is of class H5T_BITFIELD and <A1> is of class H5T_INTEGER",
  ],
  "bool_attr.h5": [
    "<attr1> is of class H5T_ENUM and <attr1> is of class H5T_INTEGER",
  ],
  "bool_dset.h5": [
    "</DS1> is of class H5T_ENUM and </DS1> is of class H5T_INTEGER",
  ],
  "compound_array_attr.h5": [
    "</DS1> has rank 0, dimensions H5S_SCALAR, max dimensions H5S_SCALAR",
  ],
  "enum_attr.h5": [
    "</DS1> has rank 0, dimensions H5S_SCALAR, max dimensions H5S_SCALAR",
    "<A1> is of class H5T_ENUM and <A1> is of class H5T_INTEGER",
  ],
  "enum_dset.h5": [
    "</DS1> is of class H5T_ENUM and </DS1> is of class H5T_INTEGER",
  ],
  "fixed_string_attr.h5": [
    "</DS1> has rank 0, dimensions H5S_SCALAR, max dimensions H5S_SCALAR",
  ],
  "null_space_attr.h5": [
    "<attr1> has rank 0, dimensions H5S_SCALAR, max dimensions H5S_SCALAR",
  ],
  "null_space_dset.h5": [
    "</DS1> has rank 0, dimensions H5S_SCALAR, max dimensions H5S_SCALAR",
  ],
  "objref_attr.h5": [
    "</DS1> has rank 0, dimensions H5S_SCALAR, max dimensions H5S_SCALAR",
    "</DS2> has rank 0, dimensions H5S_SCALAR, max dimensions H5S_SCALAR",
    "<A1 of </DS1>> has rank 0, dimensions H5S_SCALAR, max dimensions H5S_SCALAR",
  ],
  "objref_dset.h5": [
    "</DS2> has rank 0, dimensions H5S_SCALAR, max dimensions H5S_SCALAR",
    "<DS1> has rank 0, dimensions H5S_SCALAR, max dimensions H5S_SCALAR",
  ],
  "opaque_dset.h5": [
    "</DS1> is of class H5T_OPAQUE and </DS1> is of class H5T_INTEGER",
  ],
  "regionref_attr.h5": [
    "</DS1> has rank 0, dimensions H5S_SCALAR, max dimensions H5S_SCALAR",
  ],
  "scalar_attr.h5": [
    "</DS1> has rank 0, dimensions H5S_SCALAR, max dimensions H5S_SCALAR",
  ],
  "tref.h5": [
    "</Group1/Dataset2> or </Group1/Dataset2> is an empty dataset",
    "<ZZZDataset3> or <ZZZDataset3> is an empty dataset",
  ],
  "vlen_attr.h5": [
    "</DS1> has rank 0, dimensions H5S_SCALAR, max dimensions H5S_SCALAR",
  ],
  "vlen_string_attr.h5": [
    "</DS1> has rank 0, dimensions H5S_SCALAR, max dimensions H5S_SCALAR",
  ],
};

function notComparable(out: string): string[] {
  return [...out.matchAll(/^Not comparable: (.*)$/gm)].map((m) => m[1]!);
}

/**
 * What h5diff cannot compare even between a file and a byte copy of it (references, empty storage):
 * the baseline our round trip is measured against. (A file compared with itself is skipped by h5diff.)
 */
function baselineNotComparable(source: string, scratch: string): Set<string> {
  const copy = join(scratch, `baseline-${basename(source)}`);
  copyFileSync(source, copy);
  return new Set(notComparable(h5diff(source, copy, "-v").out));
}

/** Objects listed by h5diff -v as present only in the first file. */
function onlyInSource(out: string): string[] {
  return [...out.matchAll(/^\s+x\s{6,}(\/\S.*?)\s*$/gm)].map((m) => m[1]!);
}

interface Description {
  root: string;
  datatypes?: Record<string, { type: { class: string } }>;
  groups: Record<string, { links?: { title: string; class: string; id?: string; collection?: string; h5path?: string; file?: string }[] }>;
  /** A committed type is named as "datatypes/<id>". */
  datasets?: Record<string, { shape: { class: string; dims?: number[] }; type: { class: string } | string }>;
}

/** The lines hsls -r must print for a described file, as a sorted list (hard-link repeats reduced to their path). */
function expectedListing(description: Description): string[] {
  const lines = new Set<string>();
  const seen = new Set<string>();
  const visit = (groupId: string, prefix: string) => {
    for (const link of description.groups[groupId]?.links ?? []) {
      const path = `${prefix}/${link.title}`;
      if (link.class === "H5L_TYPE_SOFT") lines.add(`${path} SoftLink {${link.h5path}}`);
      else if (link.class === "H5L_TYPE_EXTERNAL") lines.add(`${path} ExternalLink {${link.h5path}//${link.file}}`);
      else if (link.collection === "groups") {
        lines.add(`${path} Group`);
        if (!seen.has(link.id!)) {
          seen.add(link.id!);
          visit(link.id!, path);
        }
      } else if (link.collection === "datatypes") lines.add(`${path} Datatype`);
      else {
        const dset = description.datasets![link.id!]!;
        const shape = dset.shape.class === "H5S_NULL" ? "{NULL}" : dset.shape.class === "H5S_SCALAR" ? "{{SCALAR}}" : `{${dset.shape.dims!.join(", ")}}`;
        const type = typeof dset.type === "string" ? description.datatypes![dset.type.split("/")[1]!]!.type : dset.type;
        lines.add(`${path} ${type.class === "H5T_COMPOUND" ? "Table" : "Dataset"} ${shape}`);
      }
    }
  };
  visit(description.root, "");
  return [...lines].sort();
}

function listingLines(stdout: string): string[] {
  return stdout
    .split("\n")
    .filter((l) => l !== "")
    .map((l) => l.replace(/, same as .*$/, "").replace(/^(\S.*?)\s{2,}(SoftLink|ExternalLink)/, "$1 $2"))
    .sort();
}

for (const [name, open] of CLI_ENDPOINTS) {
  describe.concurrent(`corpus round trip into ${name}`, () => {
    let endpoint: CliEndpoint;
    const out = mkdtempSync(join(tmpdir(), "hsds-roundtrip-"));

    beforeAll(async () => {
      endpoint = await open();
      const load = await runTool("hsload", [...endpoint.args, "--ignore", ...FILES.map((f) => join(H5, f)), `${endpoint.home}/`], {
        env: endpoint.env,
        timeoutMs: 300_000,
      });
      // --ignore reports exactly what it leaves out, one line each.
      expect(load.stderr.trim().split("\n").map((l) => l.replace(`${H5}/`, "")).sort()).toEqual([
        "h5ex_d_extern.h5: /DS1: left out: its values cannot be read: unable to open external raw data file",
        "regionref_attr.h5: /DS1@A1: left out: dataset region references are not supported",
        "tallrw.h5: /myrefs: left out: dataset region references are not supported",
      ]);
      expect(load.code).toBe(0);
    }, 300_000);
    afterAll(() => endpoint.stop());

    for (const file of FILES) {
      it(`${file}: hsget gives back what hsload was given, hsdiff finds no difference`, async () => {
        const copy = join(out, file);
        const got = await runTool("hsget", [...endpoint.args, `${endpoint.home}/${file}`, copy], { env: endpoint.env });
        expect(got.code, got.stderr).toBe(0);
        const diff = h5diff(join(H5, file), copy, "-v");
        const missing = MISSING[file] ?? [];
        expect(onlyInSource(diff.out).sort(), diff.out).toEqual([...missing].sort());
        expect(diff.out, "values or attributes differ").not.toMatch(/^[1-9]\d* differences? found/m);
        const baseline = baselineNotComparable(join(H5, file), out);
        const extra = notComparable(diff.out).filter((line) => !baseline.has(line));
        expect(extra.sort(), diff.out).toEqual([...(NOT_COMPARABLE[file] ?? [])].sort());
        const missingAttribute = MISSING_ATTRIBUTES[file];
        if (missingAttribute) {
          expect(attributeNames(join(H5, file), missingAttribute.object)).toContain(missingAttribute.name);
          expect(attributeNames(copy, missingAttribute.object)).not.toContain(missingAttribute.name);
        }
        expect(diff.code, diff.out).toBe(missing.length > 0 || missingAttribute ? 1 : 0);

        const compared = await runTool("hsdiff", [...endpoint.args, join(H5, file), `${endpoint.home}/${file}`], { env: endpoint.env });
        expect(compared.stderr).toBe("");
        const left = HSDIFF_LEFT_OUT[file];
        expect(compared.stdout).toBe(left ? `${left}\n1 difference found\n` : "");
        expect(compared.code).toBe(left ? 1 : 0);

        const described = join(JSON_DIR, file.replace(/\.h5$/, ".json"));
        if (existsSync(described)) {
          const listing = await runTool("hsls", [...endpoint.args, "-r", `${endpoint.home}/${file}`], { env: endpoint.env });
          expect(listing.code, listing.stderr).toBe(0);
          const description = JSON.parse(readFileSync(described, "utf8")) as Description;
          const dropped = new Set(file === "h5ex_d_extern.h5" || file === "tallrw.h5" ? (MISSING[file] ?? []) : []);
          const undescribed = UNDESCRIBED_PREFIX[file];
          const listed = listingLines(listing.stdout).filter((l) => !undescribed || !l.startsWith(undescribed));
          expect(listed).toEqual(expectedListing(description).filter((l) => !dropped.has(l.split(" ")[0]!)));
        }
      });
    }
  });
}
