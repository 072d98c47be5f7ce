// One difference hsdiff found between an HDF5 file and a domain, named by its HDF5 path ("/g/d", or "/g/d@name"
// for an attribute), and the one line it prints as.

export type DifferenceKind =
  | "only-in-file"
  | "only-in-domain"
  /** Link kinds or targets (hard, soft, external) differ. */
  | "link"
  /** Group, dataset or committed datatype. */
  | "class"
  /** Two hard links share one object on one side only. */
  | "identity"
  /** A committed datatype is used on one side, another one or an inline type on the other. */
  | "committed-type"
  | "type"
  | "shape"
  | "maxshape"
  | "values"
  /** The file holds something HSDS cannot, so no domain can equal it. */
  | "not-comparable";

export interface Difference {
  path: string;
  kind: DifferenceKind;
  /** What the file has, in words (absent for only-in-domain). */
  file?: string;
  /** What the domain has, in words (absent for only-in-file and not-comparable). */
  domain?: string;
  /** Values: the index of the first differing element found ([] for a scalar). */
  at?: number[];
}

/** "/g/d" for an object, "/g/d@name" for one of its attributes (the loader's notation). */
export function attributePath(objectPath: string, name: string): string {
  return `${objectPath}@${name}`;
}

export function differenceLine(d: Difference): string {
  switch (d.kind) {
    case "only-in-file":
      return `${d.path}: ${d.file} only in the file`;
    case "only-in-domain":
      return `${d.path}: ${d.domain} only in the domain`;
    case "not-comparable":
      return `${d.path}: not comparable: ${d.file}`;
    case "values": {
      const where = d.at && d.at.length > 0 ? ` at [${d.at.join(", ")}]` : "";
      return `${d.path}: values differ${where}: ${d.file} in the file, ${d.domain} in the domain`;
    }
    default:
      return `${d.path}: ${d.kind} differs: ${d.file} in the file, ${d.domain} in the domain`;
  }
}

/** The JSON form --json prints: the fields, and the line as text users see. */
export function differenceJson(d: Difference): Difference & { message: string } {
  return { ...d, message: differenceLine(d) };
}
