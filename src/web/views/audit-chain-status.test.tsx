import { describe, expect, it } from "vitest";
import { ChainStatus } from "./audit.tsx";

describe("ChainStatus", () => {
  it("shows the last sequence and hash of an intact chain", () => {
    const hash = "ab".repeat(32);
    const html = String(<ChainStatus ok rows={3} lastSeq={3} lastHash={hash} />);
    expect(html).toContain('data-chain="ok"');
    expect(html).toContain(`3 event(s) verified, last #3 <code data-last-hash="true">${hash}</code>.`);
    expect(String(<ChainStatus ok rows={0} lastSeq={null} lastHash={null} />)).toContain(
      "0 event(s) verified.",
    );
  });
});
