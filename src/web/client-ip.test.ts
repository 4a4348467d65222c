import { describe, expect, it } from "vitest";
import { clientAddress } from "./client-ip.ts";

describe("clientAddress", () => {
  it("uses the socket's peer and ignores X-Forwarded-For when no proxy is trusted", () => {
    expect(clientAddress("192.0.2.10", "203.0.113.7", 0)).toBe("192.0.2.10");
    expect(clientAddress("192.0.2.10", undefined, 0)).toBe("192.0.2.10");
  });

  it("takes the address the nearest trusted proxy saw, never the entries the client wrote", () => {
    // nginx appends $remote_addr: the client sent "198.51.100.1" itself, nginx added 203.0.113.7.
    expect(clientAddress("127.0.0.1", "198.51.100.1, 203.0.113.7", 1)).toBe("203.0.113.7");
    expect(clientAddress("127.0.0.1", "203.0.113.7", 1)).toBe("203.0.113.7");
  });

  it("walks one entry per trusted hop", () => {
    // CDN (saw the client 203.0.113.7) → load balancer (saw the CDN 198.51.100.20) → app.
    const chain = "10.0.0.1, 203.0.113.7, 198.51.100.20";
    expect(clientAddress("127.0.0.1", chain, 1)).toBe("198.51.100.20");
    expect(clientAddress("127.0.0.1", chain, 2)).toBe("203.0.113.7");
  });

  it("stops at the last vouched-for address when the chain is short or malformed", () => {
    expect(clientAddress("127.0.0.1", "203.0.113.7", 3)).toBe("203.0.113.7");
    expect(clientAddress("127.0.0.1", "", 1)).toBe("127.0.0.1");
    expect(clientAddress("127.0.0.1", "203.0.113.7, not-an-ip", 2)).toBe("127.0.0.1");
    expect(clientAddress("127.0.0.1", "not-an-ip, 203.0.113.7", 2)).toBe("203.0.113.7");
    expect(clientAddress("127.0.0.1", "2001:db8::5", 1)).toBe("2001:db8::5");
  });
});
