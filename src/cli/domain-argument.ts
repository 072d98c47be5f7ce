// Domain and folder arguments as users write them to h5pyd's tools: "/home/u/x.h5",
// "hdf5://home/u/x.h5", "http(s)://host:port/home/u/x.h5" (which also names the endpoint), and
// folders with a trailing "/".
import { CliError, EXIT_USAGE } from "./run.js";

export interface DomainArgument {
  /** Absolute path without a trailing "/" ("/" for the top level). */
  path: string;
  /** The argument ended in "/". */
  isFolder: boolean;
  /** The endpoint an http(s):// argument names. */
  endpoint?: string;
  /** The argument as given, for messages. */
  text: string;
}

export function parseDomainArgument(text: string): DomainArgument {
  let path = text;
  let endpoint: string | undefined;
  const url = /^(https?:\/\/[^/]+)(\/.*)?$/.exec(text);
  if (url) {
    endpoint = url[1];
    path = decodeURI(url[2] ?? "/");
  } else if (text.startsWith("hdf5://")) {
    path = `/${text.slice("hdf5://".length).replace(/^\/+/, "")}`;
  }
  if (!path.startsWith("/")) {
    throw new CliError(`not an absolute domain or folder path: ${text} (write /home/user/file.h5 or hdf5://home/user/file.h5)`, EXIT_USAGE);
  }
  const isFolder = path.endsWith("/");
  const trimmed = path.replace(/\/+$/, "");
  return { path: trimmed === "" ? "/" : trimmed, isFolder, text, ...(endpoint ? { endpoint } : {}) };
}
