// Domain and bucket names from requests: every name that could leave the storage root is a 400.
import { describe, expect, it } from "vitest";
import { parseDomainName, validBucket } from "../../src/engine/domain-name.js";
import { HttpError } from "../../src/engine/http-error.js";

function status(fn: () => unknown): number | undefined {
  try {
    fn();
    return undefined;
  } catch (err) {
    return err instanceof HttpError ? err.status : -1;
  }
}

describe("bucket names", () => {
  it("accepts HSDS bucket names", () => {
    expect(validBucket("hsdstest")).toBe("hsdstest");
    expect(validBucket("my.bucket-1_x")).toBe("my.bucket-1_x");
  });

  it("answers 400 for . and .., which name the root directory and its parent", () => {
    expect(status(() => validBucket(".."))).toBe(400);
    expect(status(() => validBucket("."))).toBe(400);
    expect(status(() => parseDomainName("/home/u/f.h5", "..", "hsdstest"))).toBe(400);
    expect(status(() => parseDomainName("../home/u/f.h5", undefined, "hsdstest"))).toBe(400);
  });
});

describe("domain names", () => {
  it("answers 400 for .. segments and NUL", () => {
    expect(status(() => parseDomainName("/home/u/../../x.h5", undefined, "b"))).toBe(400);
    expect(status(() => parseDomainName("/home/u/a\0b.h5", undefined, "b"))).toBe(400);
    expect(parseDomainName("hdf5://home/u/f.h5", undefined, "b")).toEqual({ bucket: "b", path: "/home/u/f.h5" });
  });
});
