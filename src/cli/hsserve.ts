// hsserve: the embedded engine over HTTP, in HSDS's storage layout under --root.
import { Command, Option } from "commander";
import { mkdirSync } from "node:fs";
import { resolve } from "node:path";
import { ANONYMOUS } from "../engine/acl.js";
import { Engine } from "../engine/engine.js";
import { HttpError } from "../engine/http-error.js";
import { ensureHomeFolders } from "../engine/home-folders.js";
import { startHttpServer } from "../engine/http-server.js";
import { DEFAULT_LIMITS, LOCAL_BUCKET } from "../engine/local-engine.js";
import { PasswordFile } from "../engine/password-file.js";
import { PosixBuckets } from "../storage/posix-store.js";
import { CliError } from "./run.js";
import { PosixLinkedFiles } from "../engine/linked-files.js";

interface ServeOptions {
  root: string;
  bucket: string;
  host: string;
  port: string;
  passwordFile?: string;
  admin: string;
  maxRequestSize: string;
  log?: boolean;
}

export function hsserveCommand(): Command {
  return new Command("hsserve")
    .description("Serve a directory in HSDS's storage layout with the HSDS REST API")
    .requiredOption("--root <dir>", "root directory; each bucket is a directory under it (HSDS's root_dir)")
    .option("--bucket <name>", "default bucket", LOCAL_BUCKET)
    .option("--host <address>", "address to bind", "127.0.0.1")
    .option("--port <n>", "port to listen on (0 = any free port)", "5101")
    .option("--password-file <file>", "HSDS-style password file (user:password lines); without it only anonymous reads")
    .option("--admin <user>", "the admin user (may create top-level folders)", "admin")
    .addOption(new Option("--max-request-size <bytes>", "largest request body accepted").default(String(DEFAULT_LIMITS.max_request_size)))
    .option("--log", "log one line per request to stderr")
    .action(async (opts: ServeOptions) => {
      const root = resolve(opts.root);
      try {
        mkdirSync(root, { recursive: true });
      } catch (err) {
        throw new CliError(`cannot use --root ${opts.root}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
      }
      const port = Number(opts.port);
      const maxBody = Number(opts.maxRequestSize);
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new CliError(`invalid --port ${opts.port}`, 2);
      if (!Number.isInteger(maxBody) || maxBody <= 0) throw new CliError(`invalid --max-request-size ${opts.maxRequestSize}`, 2);
      let passwords: PasswordFile | undefined;
      try {
        passwords = opts.passwordFile ? PasswordFile.load(opts.passwordFile) : undefined;
      } catch (err) {
        throw new CliError((err as Error).message);
      }
      const adminUsers = [opts.admin];
      const engine = new Engine({
        buckets: new PosixBuckets(root),
        defaultBucket: opts.bucket,
        adminUsers,
        defaultPublic: false,
        hrefBase: "",
        limits: { ...DEFAULT_LIMITS, max_request_size: maxBody },
        linkedFiles: new PosixLinkedFiles(root),
      });
      await ensureHomeFolders(engine, passwords ? passwords.users().filter((u) => !adminUsers.includes(u)) : []);
      const { server, url } = await startHttpServer(engine, {
        host: opts.host,
        port,
        maxBodyBytes: maxBody,
        authenticate: (header) => {
          if (passwords) return passwords.authenticate(header, adminUsers);
          if (header) throw new HttpError(401, "this server has no users (started without --password-file)");
          return ANONYMOUS;
        },
        log: opts.log ? (line) => process.stderr.write(`${line}\n`) : undefined,
      }).catch((err: NodeJS.ErrnoException) => {
        throw new CliError(`cannot listen on ${opts.host}:${opts.port}: ${err.code ?? err.message}`);
      });
      engine.settings.hrefBase = url;
      process.stdout.write(`hsserve: serving ${root} (bucket ${opts.bucket}) at ${url}${passwords ? "" : " (no --password-file: read-only, anonymous)"}\n`);
      await new Promise<void>((resolveStop) => {
        const stop = () => server.close(() => resolveStop());
        process.once("SIGINT", stop);
        process.once("SIGTERM", stop);
      });
      await engine.close();
    });
}
