import { describe, expect, it } from "vitest";
import { encodeQuery, pathSegment } from "../../src/client/url-encoding.js";

describe("url encoding", () => {
  it("percent-encodes [ ] and spaces but keeps / : , literal, as the golden captures were sent", () => {
    expect(encodeQuery({ domain: "/home/test_user1/golden/tall.h5", select: "[0:10:3, [1,3,5]]" })).toBe(
      "domain=/home/test_user1/golden/tall.h5&select=%5B0:10:3,%20%5B1,3,5%5D%5D",
    );
  });

  it("encodes characters that would break the query", () => {
    expect(encodeQuery({ pattern: "a&b=c+d#e%", Marker: "x?y" })).toBe("pattern=a%26b%3Dc%2Bd%23e%25&Marker=x%3Fy");
    expect(encodeQuery({})).toBe("");
  });

  it("encodes a name as one path segment, slashes included", () => {
    expect(pathSegment("a b/c#1?")).toBe("a%20b%2Fc%231%3F");
  });
});
