// The bench's source files, written with h5wasm: a large float32 chunked dataset (raw or gzip) and a
// file of many small groups, datasets and attributes (h5pyd's other slow case: one request per object).
import h5wasm from "h5wasm/node";

export const COLUMNS = 1024;
/** 256 rows x 1024 float32 = 1 MiB chunks. */
export const CHUNK_ROWS = 256;
const CHUNK_BYTES = CHUNK_ROWS * COLUMNS * 4;
/** Chunks per write_slice: few calls into h5wasm without a large heap. */
const CHUNKS_PER_WRITE = 16;

let ready;
async function h5() {
  ready ??= h5wasm.ready;
  await ready;
  return h5wasm;
}

/**
 * Rows of a smooth field (a large-scale wave) plus noise, quantised to 1/64 as an instrument's counts
 * would be: gzip finds some redundancy, as in real data, but far from a file of zeros.
 */
function fieldRows(firstRow, rows, random) {
  const values = new Float32Array(rows * COLUMNS);
  for (let r = 0; r < rows; r++) {
    const wave = 8 * Math.sin(((firstRow + r) * 2 * Math.PI) / 5000);
    for (let c = 0; c < COLUMNS; c++) {
      const v = 15 + wave * Math.cos((c * 2 * Math.PI) / 700) + (random() - 0.5);
      values[r * COLUMNS + c] = Math.round(v * 64) / 64;
    }
  }
  return values;
}

/** xorshift32: the same bytes on every run and machine, unlike Math.random. */
function seededRandom(seed) {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state / 4294967296;
  };
}

/** /data, float32 [sizeMiB*256, 1024] in 1 MiB chunks; gzipLevel 0 means no filter. Returns its value bytes. */
export async function writeFloat32File(path, { sizeMiB, gzipLevel }) {
  const { File } = await h5();
  const rows = Math.max(1, Math.round((sizeMiB * 1024 * 1024) / CHUNK_BYTES)) * CHUNK_ROWS;
  const file = new File(path, "w");
  try {
    const dataset = file.create_dataset({
      name: "data",
      data: new Float32Array(0),
      shape: [0, COLUMNS],
      maxshape: [rows, COLUMNS],
      chunks: [CHUNK_ROWS, COLUMNS],
      dtype: "<f",
      ...(gzipLevel > 0 ? { compression: "gzip", compression_opts: gzipLevel } : {}),
    });
    dataset.resize([rows, COLUMNS]);
    const random = seededRandom(20240613);
    for (let row = 0; row < rows; row += CHUNK_ROWS * CHUNKS_PER_WRITE) {
      const count = Math.min(CHUNK_ROWS * CHUNKS_PER_WRITE, rows - row);
      dataset.write_slice([[row, row + count], [0, COLUMNS]], fieldRows(row, count, random));
    }
    dataset.create_attribute("units", "K");
  } finally {
    file.close();
  }
  return { rate: "bytes", valueBytes: rows * COLUMNS * 4, objects: 2, attributes: 1 };
}

const ATTRIBUTES_PER_GROUP = 5;

/**
 * `groups` groups (100 per parent group), each with five attributes of the usual kinds and a small
 * float32 dataset that has two attributes of its own.
 */
export async function writeManyObjectsFile(path, { groups }) {
  const { File } = await h5();
  const random = seededRandom(7);
  const file = new File(path, "w");
  let valueBytes = 0;
  try {
    let parent;
    for (let g = 0; g < groups; g++) {
      if (g % 100 === 0) parent = file.create_group(`block${String(g / 100).padStart(3, "0")}`);
      const group = parent.create_group(`station${String(g).padStart(5, "0")}`);
      group.create_attribute("name", `station ${g}`);
      group.create_attribute("latitude", -90 + 180 * random(), null, "<d");
      group.create_attribute("longitude", -180 + 360 * random(), null, "<d");
      group.create_attribute("elevation", Math.round(3000 * random()), null, "<i");
      group.create_attribute("valid_range", new Float32Array([-50, 60]));
      const values = new Float32Array(64).map(() => Math.round((10 + 20 * random()) * 64) / 64);
      const dataset = group.create_dataset({ name: "temperature", data: values });
      dataset.create_attribute("units", "degC");
      dataset.create_attribute("scale_factor", 1, null, "<f");
      valueBytes += values.byteLength;
    }
  } finally {
    file.close();
  }
  const blocks = Math.ceil(groups / 100);
  return { rate: "objects", valueBytes, objects: 1 + blocks + 2 * groups, attributes: groups * (ATTRIBUTES_PER_GROUP + 2) };
}
