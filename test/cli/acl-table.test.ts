import { describe, expect, it } from "vitest";
import { aclListingLine, aclTableHeader, aclTableRow, permissionLetters } from "../../src/cli/format/acl-table.js";
import type { Acl } from "../../src/client/hsds-types.js";
import { cliLines, restBody } from "./golden-rest.js";

describe("ACL output", () => {
  it("reproduces hsacl's table from HSDS's GET /acls", () => {
    const { acls } = restBody<{ acls: Acl[] }>("tall/acls.json");
    expect([...aclTableHeader(), ...acls.map(aclTableRow)]).toEqual(cliLines("hsacl_tall.txt"));
  });

  it("writes hsls's crudep form with - for each missing permission", () => {
    const acl: Acl = { userName: "test_user2", create: false, read: true, update: false, delete: true, readACL: true, updateACL: false };
    expect(permissionLetters(acl)).toBe("-r-de-");
    expect(aclListingLine(acl)).toBe("    acl: test_user2               -r-de-");
  });
});
