// The two places hsload writes to and hsget reads from: `local` (the engine inside the tool, on a
// directory) and hsserve (the same engine behind HTTP on a loopback port). Each load and each get runs
// against a store of its own under the bench's work directory.
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { startHsserve, timeTool } from "./processes.mjs";

const USER = "bench";
const PASSWORD = "bench";
export const HOME_FOLDER = `/home/${USER}`;

/** A HOME of its own, so no ~/.hscfg of the machine changes what is measured. */
function isolatedEnv(workDir, extra = {}) {
  const home = join(workDir, "home");
  mkdirSync(home, { recursive: true });
  return { PATH: process.env.PATH ?? "", HOME: home, XDG_DATA_HOME: join(home, ".local", "share"), NO_COLOR: "1", ...extra };
}

export function localEndpoint(workDir) {
  const store = join(workDir, "local-store");
  const env = isolatedEnv(workDir, { HS_ENDPOINT: "local", HS_USERNAME: USER, HS_LOCAL_DIR: store });
  return {
    name: "local",
    load: (source, domain) => timeTool("hsload", [source, domain], env),
    get: (domain, file) => timeTool("hsget", [domain, file], env),
    clear: () => rmSync(store, { recursive: true, force: true }),
  };
}

/**
 * hsserve is started for each load and again for each get (start-up not timed), so its peak RSS is
 * that of the one step.
 */
export function hsserveEndpoint(workDir) {
  const root = join(workDir, "hsserve-root");
  const passwordFile = join(workDir, "passwd.txt");
  writeFileSync(passwordFile, `${USER}:${PASSWORD}\n`);
  const env = isolatedEnv(workDir);
  const credentials = ["-u", USER, "-p", PASSWORD];
  const withServer = async (tool, args) => {
    mkdirSync(root, { recursive: true });
    const server = await startHsserve({ root, passwordFile, env });
    let measured;
    try {
      measured = await timeTool(tool, ["-e", server.url, ...credentials, ...args], env);
    } finally {
      const serverRssKiB = await server.stop();
      if (measured) measured.serverRssKiB = serverRssKiB;
    }
    return measured;
  };
  return {
    name: "hsserve",
    load: (source, domain) => withServer("hsload", [source, domain]),
    get: (domain, file) => withServer("hsget", [domain, file]),
    clear: () => rmSync(root, { recursive: true, force: true }),
  };
}
