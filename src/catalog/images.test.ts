import { describe, expect, it } from "vitest";
import { priceBounds } from "./browse.ts";
import { sniffImageType } from "./images.ts";
import { initialsOf, productArtSvg } from "./product-art.ts";

describe("priceBounds", () => {
  it.each([
    ["usd", { min: "12.5", max: "20" }, { lo: 1250, hi: 2000 }],
    // Yen has no minor unit: a minimum rounds up, a maximum down.
    ["jpy", { min: "10.5", max: "99.9" }, { lo: 11, hi: 99 }],
    ["kwd", { min: "0.125" }, { lo: 125, hi: null }],
    ["usd", { max: "0.005" }, { lo: null, hi: 0 }],
  ])("turns a typed %s range into minor units", (currency, range, expected) => {
    expect(priceBounds(range, currency)).toEqual(expected);
  });
});

describe("sniffImageType", () => {
  const bytes = (...b: number[]) => new Uint8Array([...b, 0, 0, 0, 0, 0, 0, 0, 0]);
  it("knows PNG, JPEG and WebP by their magic bytes", () => {
    expect(sniffImageType(bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a))).toBe("image/png");
    expect(sniffImageType(bytes(0xff, 0xd8, 0xff, 0xe0))).toBe("image/jpeg");
    const webp = new TextEncoder().encode("RIFF\u0000\u0000\u0000\u0000WEBPVP8 ");
    expect(sniffImageType(webp)).toBe("image/webp");
  });
  it("refuses anything else, whatever it is called", () => {
    expect(sniffImageType(new TextEncoder().encode("<svg xmlns='http://www.w3.org/2000/svg'/>"))).toBeNull();
    expect(sniffImageType(new TextEncoder().encode("GIF89a......"))).toBeNull();
    expect(sniffImageType(new TextEncoder().encode("RIFF....WAVEfmt "))).toBeNull();
    expect(sniffImageType(new Uint8Array())).toBeNull();
  });
});

describe("productArtSvg", () => {
  it("draws the same picture for the same product and escapes its text", () => {
    const p = { name: "Tom & Jerry's <mug>", category: "Mugs", sku: "M-1" };
    expect(productArtSvg(p)).toBe(productArtSvg({ ...p }));
    expect(productArtSvg(p)).not.toContain("<mug>");
    expect(productArtSvg(p)).toContain("Tom &amp; Jerry&apos;s &lt;mug&gt;");
    expect(productArtSvg(p)).not.toBe(productArtSvg({ ...p, sku: "M-2" }));
    expect(initialsOf("Classic pour-over kettle")).toBe("CP");
    expect(initialsOf("—")).toBe("?");
  });
});
