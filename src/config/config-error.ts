/** A configuration value (flag, environment variable or config-file entry) that cannot be used. */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
}
