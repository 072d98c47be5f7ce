// ACLs as h5pyd prints them: hsacl's table (Python "%15s   %8s  %8s ...") and hsls --showacls'
// one-line "crudep" form.
import type { Acl } from "../../client/hsds-types.js";

const PERMISSION_COLUMNS = ["create", "read", "update", "delete", "readACL", "updateACL"] as const;

/** The letter of each permission, in column order: create, read, update, delete, rEadACL, uPdateACL. */
export const PERMISSION_LETTERS: Readonly<Record<string, (typeof PERMISSION_COLUMNS)[number]>> = {
  c: "create",
  r: "read",
  u: "update",
  d: "delete",
  e: "readACL",
  p: "updateACL",
};

function tableRow(cells: readonly string[]): string {
  const [first, ...rest] = cells;
  return `${first!.padStart(15)}   ${rest.map((c) => c.padStart(8)).join("  ")} `;
}

export function aclTableHeader(): string[] {
  return [tableRow(["username", ...PERMISSION_COLUMNS]), "-".repeat(80)];
}

export function aclTableRow(acl: Acl): string {
  return tableRow([acl.userName, ...PERMISSION_COLUMNS.map((p) => (acl[p] ? "True" : "False"))]);
}

/** "crud--": each letter of crudep, or "-" where the permission is off. */
export function permissionLetters(acl: Acl): string {
  return Object.entries(PERMISSION_LETTERS)
    .map(([letter, permission]) => (acl[permission] ? letter : "-"))
    .join("");
}

export function aclListingLine(acl: Acl): string {
  return `    acl: ${acl.userName.padEnd(24)} ${permissionLetters(acl)}`;
}

/** What hsls --showacls prints when the server will not show the ACLs. */
export const ACLS_NOT_PERMITTED = "read ACLs is not permitted";
