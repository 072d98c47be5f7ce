import { fileURLToPath } from "node:url";
import { ConfigError } from "./config-error.js";

/**
 * Where the tools send their requests: an HSDS (or hsserve) over HTTP, or the embedded engine
 * working on a directory in this process.
 */
export type Endpoint =
  | { kind: "http"; url: string }
  /** `named` is the endpoint as the user wrote it ("local" or the file: URL), for messages. */
  | { kind: "local"; dir: string; named: string };

const LOCAL = /^local(\[[^\]]*\])?$/;

/**
 * @param value   the endpoint text as configured
 * @param origin  where it came from ("--endpoint", "HS_ENDPOINT", a config file path)
 * @param localDir the directory `local` stands for
 */
export function parseEndpoint(value: string, origin: string, localDir: string): Endpoint {
  // h5pyd's `local[N]` (N server nodes) means the same to us: the in-process engine.
  if (LOCAL.test(value)) return { kind: "local", dir: localDir, named: value };
  if (value.startsWith("file:")) return { kind: "local", dir: localDirFromFileUrl(value, origin), named: value };
  if (/^https?:\/\//.test(value)) return { kind: "http", url: httpBaseUrl(value, origin) };
  throw new ConfigError(
    `unsupported endpoint "${value}" (from ${origin}): expected http(s)://host[:port], local or file:///dir`,
  );
}

function localDirFromFileUrl(value: string, origin: string): string {
  try {
    return fileURLToPath(value);
  } catch {
    throw new ConfigError(`endpoint "${value}" (from ${origin}) is not a file:///absolute/dir URL`);
  }
}

function httpBaseUrl(value: string, origin: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(`endpoint "${value}" (from ${origin}) is not a valid URL`);
  }
  if (url.search || url.hash || url.username || url.password) {
    throw new ConfigError(
      `endpoint "${value}" (from ${origin}) must not carry a query, fragment or credentials; use --user/--password`,
    );
  }
  // Keep a path prefix (an HSDS behind a proxy at /hsds) but never a trailing slash.
  return `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, "")}`;
}
