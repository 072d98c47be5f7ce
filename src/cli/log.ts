import { closeSync, openSync, writeSync } from "node:fs";
import { LOG_LEVELS, type LogLevel } from "../config/resolve-config.js";

export type { LogLevel };

export interface Logger {
  log(level: LogLevel, message: string): void;
  debug(message: string): void;
  info(message: string): void;
  warning(message: string): void;
  error(message: string): void;
  /** Whether messages of this level are written (skip building costly messages otherwise). */
  enabled(level: LogLevel): boolean;
  close(): void;
}

export interface LoggerOptions {
  level: LogLevel;
  /** Append to this file instead of writing to stderr. */
  logfile?: string;
}

/**
 * Lines are written synchronously so the last message before a crash is on disk, and so log
 * lines never interleave with progress output half-way.
 */
export function createLogger(options: LoggerOptions): Logger {
  const threshold = LOG_LEVELS.indexOf(options.level);
  const fd = options.logfile === undefined ? process.stderr.fd : openSync(options.logfile, "a", 0o600);
  const enabled = (level: LogLevel) => LOG_LEVELS.indexOf(level) >= threshold;
  const log = (level: LogLevel, message: string) => {
    if (enabled(level)) writeSync(fd, `${new Date().toISOString()} ${level.toUpperCase()} ${message}\n`);
  };
  return {
    log,
    enabled,
    debug: (message) => log("debug", message),
    info: (message) => log("info", message),
    warning: (message) => log("warning", message),
    error: (message) => log("error", message),
    close: () => {
      if (options.logfile !== undefined) closeSync(fd);
    },
  };
}
