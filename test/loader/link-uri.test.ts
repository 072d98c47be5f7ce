// The file_uri stored for a linked source: --linkpath, s3:// as given, bucket/path under a known server root,
// h5pyd's as-is rule for relative paths when the root is unknown, absolute paths otherwise.
import { describe, expect, it } from "vitest";
import { linkFileUri, LinkUriError } from "../../src/loader/link-uri.js";

describe("linkFileUri", () => {
  it("stores --linkpath as given, whatever the source", () => {
    expect(linkFileUri("/data/a.h5", { linkpath: "s3://bucket/a.h5" })).toBe("s3://bucket/a.h5");
    expect(() => linkFileUri("/data/a.h5", { linkpath: " " })).toThrow(LinkUriError);
  });

  it("keeps s3:// sources as they are", () => {
    expect(linkFileUri("s3://hdf5.sample/data/x.h5", {})).toBe("s3://hdf5.sample/data/x.h5");
    expect(linkFileUri("s3://hdf5.sample/data/x.h5", { serverRoot: "/srv" })).toBe("s3://hdf5.sample/data/x.h5");
  });

  describe("with the server's root known (the local endpoint)", () => {
    const serverRoot = "/srv/hsds";
    it("names a file under it bucket/path, from an absolute or a relative source", () => {
      expect(linkFileUri("/srv/hsds/h5files/sub/a.h5", { serverRoot })).toBe("h5files/sub/a.h5");
      expect(linkFileUri("h5files/a.h5", { serverRoot }, "/srv/hsds")).toBe("h5files/a.h5");
      expect(linkFileUri("../hsds/h5files/a.h5", { serverRoot: "/srv/hsds/" }, "/srv/other")).toBe("h5files/a.h5");
    });
    it("names a file elsewhere by its absolute path", () => {
      expect(linkFileUri("data/a.h5", { serverRoot }, "/home/me")).toBe("/home/me/data/a.h5");
      expect(linkFileUri("/srv/hsds-other/a.h5", { serverRoot })).toBe("/srv/hsds-other/a.h5");
    });
  });

  describe("with the server's root unknown (HTTP endpoints)", () => {
    it("takes a relative path as-is, relative to the server's root (h5pyd's rule)", () => {
      expect(linkFileUri("./h5files//link_big.h5", {})).toBe("h5files/link_big.h5");
    });
    it("keeps an absolute path, which our engine reads", () => {
      expect(linkFileUri("/data/x/../a.h5", {})).toBe("/data/a.h5");
    });
    it("refuses a relative path that climbs out of the directory", () => {
      expect(() => linkFileUri("../a.h5", {})).toThrow(/\.\.\/a\.h5 .*absolute path or --linkpath/);
    });
  });
});
