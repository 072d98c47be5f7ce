// The file's objects matched with the domain's (pure): one walk from both root groups at once, link by link in the
// file's order, pairing the objects each hard link reaches on the two sides. Differences in the links themselves
// are found here: a link on one side only, another kind or target, another class of object, and hard-link
// identity (two paths to one object on one side, to two objects on the other). Objects reached only through
// such a link are not paired: the link's line says it all.
import type { LinkItem } from "../client/hsds-types.js";
import type { DomainSnapshot, ObjectSnapshot } from "../export/domain-snapshot.js";
import type { ObjectKey, SourceLink, SourceObject, SourceTree } from "../hdf5/source/source-tree.js";
import type { Difference } from "./difference.js";

export interface ObjectPair {
  /** The path the walk paired the object at: its first path in the file's link order. */
  path: string;
  file: SourceObject;
  domain: ObjectSnapshot;
  /**
   * Link differences the walk met after this object and before the next pair (each named by the link's path), so
   * that reports in pair order list every line in the walk's order.
   */
  following: Difference[];
}

export interface Pairing {
  /** Parents before children, in the file's link order. */
  pairs: ObjectPair[];
  /** The domain object paired with each paired file object. */
  domainIds: Map<ObjectKey, string>;
  /** The path of each paired domain object, by id. */
  paths: Map<string, string>;
}

export function pairObjects(tree: SourceTree, snapshot: DomainSnapshot): Pairing {
  const files = new Map(tree.objects.map((o) => [o.key, o]));
  const domainIds = new Map<ObjectKey, string>();
  const fileKeys = new Map<string, ObjectKey>();
  const paths = new Map<string, string>();
  const pairs: ObjectPair[] = [];

  const fileLinkText = (link: SourceLink): string => {
    if (link.kind === "soft") return `soft link to ${link.path}`;
    if (link.kind === "external") return `external link to ${link.path} in ${link.file}`;
    return files.get(link.target)?.kind ?? "object";
  };
  const domainLinkText = (link: LinkItem): string => {
    if (link.class === "H5L_TYPE_SOFT") return `soft link to ${link.h5path}`;
    if (link.class === "H5L_TYPE_EXTERNAL") return `external link to ${link.h5path} in ${link.h5domain}`;
    return snapshot.objects.get(link.id ?? "")?.kind ?? `link to ${link.id}, an object the domain does not have`;
  };

  /** The pair a matching hard link leads to when neither object is paired yet; otherwise any difference. */
  const follow = (link: SourceLink, other: LinkItem, path: string, found: (d: Difference) => void): [SourceObject, ObjectSnapshot] | undefined => {
    const linkDiffers = { path, kind: "link", file: fileLinkText(link), domain: domainLinkText(other) } as const;
    if (link.kind !== "hard") {
      const same = link.kind === "soft"
        ? other.class === "H5L_TYPE_SOFT" && other.h5path === link.path
        : other.class === "H5L_TYPE_EXTERNAL" && other.h5path === link.path && other.h5domain === link.file;
      if (!same) found(linkDiffers);
      return undefined;
    }
    const file = files.get(link.target);
    const domain = other.class === "H5L_TYPE_HARD" ? snapshot.objects.get(other.id ?? "") : undefined;
    if (!file || !domain) {
      found(linkDiffers);
      return undefined;
    }
    if (file.kind !== domain.kind) {
      found({ path, kind: "class", file: file.kind, domain: domain.kind });
      return undefined;
    }
    const pairedDomain = domainIds.get(file.key);
    const pairedFile = fileKeys.get(domain.id);
    if (pairedDomain === undefined && pairedFile === undefined) return [file, domain];
    // Another link to an object both sides already share is no difference.
    if (pairedDomain !== domain.id) {
      found({
        path,
        kind: "identity",
        file: pairedDomain === undefined ? `another ${file.kind}` : `the ${file.kind} at ${paths.get(pairedDomain)}`,
        domain: pairedFile === undefined ? `another ${domain.kind}` : `the ${domain.kind} at ${paths.get(domain.id)}`,
      });
    }
    return undefined;
  };

  const visit = (file: SourceObject, domain: ObjectSnapshot, path: string): void => {
    domainIds.set(file.key, domain.id);
    fileKeys.set(domain.id, file.key);
    paths.set(domain.id, path);
    pairs.push({ path, file, domain, following: [] });
    if (file.kind !== "group" || domain.kind !== "group") return;
    const found = (d: Difference) => pairs.at(-1)!.following.push(d);
    const unmatched = new Map(domain.links.map((l) => [l.title, l]));
    for (const link of file.links) {
      const at = childPath(path, link.name);
      const other = unmatched.get(link.name);
      unmatched.delete(link.name);
      if (!other) {
        found({ path: at, kind: "only-in-file", file: fileLinkText(link) });
        continue;
      }
      const next = follow(link, other, at, found);
      if (next) visit(next[0], next[1], at);
    }
    for (const other of unmatched.values()) {
      found({ path: childPath(path, other.title), kind: "only-in-domain", domain: domainLinkText(other) });
    }
  };

  const root = snapshot.objects.get(snapshot.rootId);
  if (!root) throw new Error(`the root group ${snapshot.rootId} of ${snapshot.domain} cannot be read`);
  visit(files.get(tree.root)!, root, "/");
  return { pairs, domainIds, paths };
}

function childPath(group: string, name: string): string {
  return group === "/" ? `/${name}` : `${group}/${name}`;
}
