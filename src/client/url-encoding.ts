// How requests go on the wire. h5pyd's captures show `[`, `]` and spaces percent-encoded in the
// query while `/`, `:` and `,` stay literal; selections and domain paths stay readable in server
// logs that way, and HSDS decodes either form.

const KEEP_LITERAL = { "%2F": "/", "%3A": ":", "%2C": "," } as const;

function encodeQueryValue(value: string): string {
  return encodeURIComponent(value).replace(/%2F|%3A|%2C/g, (m) => KEEP_LITERAL[m as keyof typeof KEEP_LITERAL]);
}

/** `{domain: "/a b", select: "[0:2]"}` → `domain=/a%20b&select=%5B0:2%5D` (insertion order kept). */
export function encodeQuery(query: Record<string, string>): string {
  return Object.entries(query)
    .map(([key, value]) => `${encodeURIComponent(key)}=${encodeQueryValue(value)}`)
    .join("&");
}

/** One path segment (a link, attribute or user name may hold any character, "/" included). */
export function pathSegment(name: string): string {
  return encodeURIComponent(name);
}
