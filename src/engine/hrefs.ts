// The "hrefs" arrays HSDS puts in responses. Clients ignore them, but they are part of the shape
// (golden/rest), so they are built the same way, with our own endpoint.

export interface Href {
  rel: string;
  href: string;
}

export class Hrefs {
  constructor(
    private readonly base: string,
    private readonly domainPath: string,
  ) {}

  url(path: string, domain = this.domainPath, extraQuery = ""): string {
    return `${this.base}${path}?domain=${domain}${extraQuery}`;
  }

  of(...pairs: [rel: string, path: string][]): Href[] {
    return pairs.map(([rel, path]) => ({ rel, href: this.url(path) }));
  }

  /** The standard trailer of object responses: self, root, home, attributes... */
  forObject(collection: string, id: string, rootId: string, extra: [string, string][] = []): Href[] {
    const self = `/${collection}/${id}`;
    const pairs: [string, string][] = [["self", self]];
    if (collection === "groups") pairs.push(["links", `${self}/links`]);
    pairs.push(["root", `/groups/${rootId}`], ["home", "/"], ["attributes", `${self}/attributes`], ...extra);
    return this.of(...pairs);
  }
}
