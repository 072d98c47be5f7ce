// The h5pyd `.hscfg` text format, read and written by hand: it is a few lines of `key = value`
// that no ini/dotenv library reads the way h5pyd does (inline ` #` comments, `None` meaning unset).

export interface ParsedHscfg {
  /** Every `key = value` line, last one wins; values are trimmed, comments stripped. */
  values: Record<string, string>;
  /** 1-based numbers of non-blank, non-comment lines without a `=` (h5pyd skips them too). */
  invalidLines: number[];
}

const INLINE_COMMENT = /\s+#.*$/;

export function parseHscfg(text: string): ParsedHscfg {
  const values: Record<string, string> = {};
  const invalidLines: number[] = [];
  text.split(/\r?\n/).forEach((line, index) => {
    const trimmed = line.trim();
    if (trimmed === "" || trimmed.startsWith("#")) return;
    const eq = trimmed.indexOf("=");
    if (eq <= 0) {
      invalidLines.push(index + 1);
      return;
    }
    const key = trimmed.slice(0, eq).trim();
    // Only a `#` word after whitespace starts a comment, so `pa#ss` stays a password.
    values[key] = trimmed.slice(eq + 1).trim().replace(INLINE_COMMENT, "");
  });
  return { values, invalidLines };
}

/** h5pyd treats an empty value and the word None (any case) as "not set". */
export function isUnsetValue(value: string): boolean {
  return value === "" || value.toUpperCase() === "NONE";
}

export interface HscfgContent {
  endpoint?: string;
  username?: string;
  password?: string;
  apiKey?: string;
  bucket?: string;
  localDir?: string;
}

/**
 * The file hsconfigure writes: h5pyd's header and its four keys (empty when unset), then the
 * optional keys only when set, so h5pyd reads our file unchanged.
 */
export function formatHscfg(content: HscfgContent): string {
  const lines = [
    "# HDFCloud configuration file",
    `hs_endpoint = ${content.endpoint ?? ""}`,
    `hs_username = ${content.username ?? ""}`,
    `hs_password = ${content.password ?? ""}`,
    `hs_api_key = ${content.apiKey ?? ""}`,
  ];
  if (content.bucket) lines.push(`hs_bucket = ${content.bucket}`);
  if (content.localDir) lines.push(`hs_local_dir = ${content.localDir}`);
  return lines.join("\n") + "\n";
}
