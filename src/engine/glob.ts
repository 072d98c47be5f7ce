/** The `pattern` parameter of HSDS listings: a shell glob (* and ?) on names. */
export function globMatcher(glob: string): (name: string) => boolean {
  const re = new RegExp(`^${glob.replace(/[.+^${}()|\\[\]]/g, "\\$&").replaceAll("*", ".*").replaceAll("?", ".")}$`);
  return (name) => re.test(name);
}
