import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
/** ../shared beside the clone: corpus and golden data, read in place, never copied. */
export const SHARED = resolve(PROJECT_ROOT, "../shared");
export const CORPUS = resolve(SHARED, "corpus");
export const GOLDEN = resolve(SHARED, "golden");
