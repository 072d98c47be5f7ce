import { describe, expect, it } from "vitest";
import { parseAclArguments } from "../../src/cli/hsacl.js";

describe("hsacl arguments", () => {
  it("reads +flags, -flags and user names", () => {
    const request = parseAclArguments(["+ru", "-d", "ted", "g:devs", "default"]);
    expect([...request.grant]).toEqual(["read", "update"]);
    expect([...request.revoke]).toEqual(["delete"]);
    expect(request.users).toEqual(["ted", "g:devs", "default"]);
  });

  it("maps e and p to readACL and updateACL", () => {
    expect([...parseAclArguments(["+ep", "u"]).grant]).toEqual(["readACL", "updateACL"]);
  });

  it("refuses unknown letters, a letter both added and removed, and changes without users", () => {
    expect(() => parseAclArguments(["+x", "u"])).toThrow(/Permission flag: x is not valid/);
    expect(() => parseAclArguments(["+r", "-r", "u"])).toThrow(/read flag set for both add and remove/);
    expect(() => parseAclArguments(["+r"])).toThrow(/at least one username/);
    expect(() => parseAclArguments(["a/b"])).toThrow(/invalid username/);
  });
});
