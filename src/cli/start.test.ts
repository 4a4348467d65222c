import { describe, expect, it } from "vitest";
import { DEMO_USERS } from "../demo/users.ts";
import { startSummary } from "./start.ts";

describe("the block npm start ends with", () => {
  const embedded = startSummary({
    url: "http://127.0.0.1:3000",
    dataDir: "/srv/shop/data",
    databaseLabel: "embedded (./data)",
    logins: DEMO_USERS,
    seconds: 41.6,
    seeded: true,
  });

  it("names the URL, every demo login with its password, where the data is and how to reset it", () => {
    expect(embedded).toContain("Revenue Intelligence is serving at http://127.0.0.1:3000");
    expect(embedded).toContain("ready in 42 s, demo data seeded");
    for (const role of ["admin", "analyst", "ops", "customer"]) {
      const line = embedded.split("\n").find((l) => l.trim().startsWith(role));
      expect(line).toContain(`${role}@demo.revintel.test`);
      expect(line).toContain(`demo-${role}-password`);
    }
    expect(embedded).toContain("Data:  /srv/shop/data  (embedded PostgreSQL)");
    expect(embedded).toContain("Reset: stop it, delete /srv/shop/data, run npm start again");
    expect(embedded).toContain("Stop:  Ctrl+C");
  });

  it("is one short block with no escape codes", () => {
    expect(embedded.split("\n").length).toBeLessThan(16);
    expect(embedded).not.toContain("\x1b");
  });

  it("on PostgreSQL without demo users: the database's address, no logins, how to reset", () => {
    const text = startSummary({
      url: "http://0.0.0.0:8080",
      databaseLabel: "postgres://db:5432/shop",
      logins: [],
      seconds: 2,
      seeded: false,
    });
    expect(text).toContain("serving at http://0.0.0.0:8080  (ready in 2 s)");
    expect(text).toContain("Data:  postgres://db:5432/shop");
    expect(text).toContain("Reset: drop and recreate that database");
    expect(text).not.toContain("password");
    expect(text).not.toContain("demo.revintel.test");
  });
});
