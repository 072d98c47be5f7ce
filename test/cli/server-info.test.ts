import { describe, expect, it } from "vitest";
import { serverInfoLines, uptimeText } from "../../src/cli/format/server-info.js";
import type { AboutInfo } from "../../src/client/hsds-types.js";
import { cliLines, restBody } from "./golden-rest.js";

describe("hsinfo", () => {
  it("writes uptime in h5pyd's four forms", () => {
    expect(uptimeText(5)).toBe("5 sec");
    expect(uptimeText(103)).toBe("1 min 43 sec");
    expect(uptimeText(2 * 3600 + 5 * 60 + 7)).toBe("2 hours 5 min 7 sec");
    expect(uptimeText(86400 + 61)).toBe("1 days, 0 hours 1 min 1 sec");
  });

  it("reproduces golden hsinfo.txt from HSDS's /about (uptime as captured, our client line)", () => {
    const about = restBody<AboutInfo>("server/about.json");
    const golden = cliLines("hsinfo.txt");
    const lines = serverInfoLines({
      about,
      endpoint: "http://127.0.0.1:5101",
      password: "test",
      home: "/home/test_user1/",
      nowSeconds: about.start_time! + 103,
      clientName: "h5pyd",
      clientVersion: "0.24.0",
    });
    expect(lines).toEqual(golden);
  });

  it("tags admins and prints no password stars without a password", () => {
    const lines = serverInfoLines({
      about: { state: "READY", name: "n", username: "admin", isadmin: true },
      endpoint: "local",
      nowSeconds: 0,
      clientName: "hsds-tools",
      clientVersion: "1",
    });
    expect(lines).toEqual(["server name: n", "server state: READY", "endpoint: local", "username: admin (admin)", "password: ", "hsds-tools version: 1"]);
  });
});
