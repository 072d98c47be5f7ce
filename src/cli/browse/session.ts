// The client a browse tool works with: configuration from flags, environment and ~/.hscfg, a
// logger, and a connection that is closed whatever the tool's action does.
import { connect } from "../../client/connect.js";
import type { HsdsClient } from "../../client/hsds-client.js";
import type { ResolvedConfig } from "../../config/resolve-config.js";
import { configFromOptions, type CommonOptions } from "../common-options.js";
import { createLogger, type Logger } from "../log.js";

export interface Session {
  client: HsdsClient;
  config: ResolvedConfig;
  log: Logger;
}

/**
 * h5pyd retries 10 times for File-based tools; each retry doubles the wait, so a server that is down
 * would keep the user waiting for minutes. Three retries ride out a restart without that.
 */
const BROWSE_RETRIES = 3;

export async function withSession<T>(opts: CommonOptions, action: (session: Session) => Promise<T>): Promise<T> {
  const config = configFromOptions(opts);
  const log = createLogger({ level: config.loglevel, logfile: config.logfile });
  try {
    for (const warning of config.warnings) log.warning(warning);
    const client = await connect(config, {
      retries: BROWSE_RETRIES,
      log: (level, message) => log.log(level, message),
    });
    try {
      log.debug(`endpoint ${client.endpoint}, user ${config.username ?? "(none)"}`);
      return await action({ client, config, log });
    } finally {
      await client.close();
    }
  } finally {
    log.close();
  }
}
