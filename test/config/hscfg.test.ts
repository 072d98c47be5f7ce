import { describe, expect, it } from "vitest";
import { formatHscfg, isUnsetValue, parseHscfg } from "../../src/config/hscfg.js";

describe("parseHscfg", () => {
  it("reads the file hsconfigure writes", () => {
    const text = "# HDFCloud configuration file\nhs_endpoint = http://hsds.example.org\nhs_username = alice\nhs_password = secret\nhs_api_key = \n";
    expect(parseHscfg(text)).toEqual({
      values: { hs_endpoint: "http://hsds.example.org", hs_username: "alice", hs_password: "secret", hs_api_key: "" },
      invalidLines: [],
    });
  });

  it("strips inline comments only after whitespace", () => {
    const { values } = parseHscfg(
      ["hs_username = bob   # the usual user", "hs_password = pa#ss", "hs_bucket=b1\t#tab comment", "hs_api_key = #notacomment"].join("\n"),
    );
    expect(values).toEqual({ hs_username: "bob", hs_password: "pa#ss", hs_bucket: "b1", hs_api_key: "#notacomment" });
  });

  it("keeps everything after the first = (passwords may contain =)", () => {
    expect(parseHscfg("hs_password = a=b==\n").values.hs_password).toBe("a=b==");
  });

  it("skips blank lines, comment lines, CRLF endings, and reports lines without =", () => {
    const parsed = parseHscfg("\r\n   # comment\r\nhs_endpoint = local\r\njust words\r\n= novalue\r\n");
    expect(parsed.values).toEqual({ hs_endpoint: "local" });
    expect(parsed.invalidLines).toEqual([4, 5]);
  });

  it("lets the last of repeated keys win and keeps unknown keys for the caller to ignore", () => {
    expect(parseHscfg("hs_bucket = a\nhs_bucket = b\nhs_ad_app_id = x").values).toEqual({ hs_bucket: "b", hs_ad_app_id: "x" });
  });
});

describe("isUnsetValue", () => {
  it("treats empty and None in any case as unset", () => {
    expect(["", "None", "NONE", "none"].map(isUnsetValue)).toEqual([true, true, true, true]);
    expect(["0", "nobody", " "].map(isUnsetValue)).toEqual([false, false, false]);
  });
});

describe("formatHscfg", () => {
  it("writes h5pyd's four keys, empty when unset, and the optional keys only when set", () => {
    expect(formatHscfg({ endpoint: "http://h:5101", username: "u" })).toBe(
      "# HDFCloud configuration file\nhs_endpoint = http://h:5101\nhs_username = u\nhs_password = \nhs_api_key = \n",
    );
    expect(formatHscfg({ endpoint: "local", localDir: "/data/hs", bucket: "b" })).toContain("hs_bucket = b\nhs_local_dir = /data/hs\n");
  });

  it("round-trips through the parser", () => {
    const content = { endpoint: "http://h:5101", username: "u", password: "p=#1", apiKey: "k", localDir: "/d" };
    expect(parseHscfg(formatHscfg(content)).values).toEqual({
      hs_endpoint: "http://h:5101",
      hs_username: "u",
      hs_password: "p=#1",
      hs_api_key: "k",
      hs_local_dir: "/d",
    });
  });
});
