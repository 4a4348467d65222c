/**
 * The picture a product shows until ops upload a photo: an SVG drawn from the product's own name,
 * category and SKU, so it is the same on every run, needs no stored file and carries no third-party
 * licence. Colour follows the category (products of one range look related); the pattern and the
 * initials follow the product.
 */

/** FNV-1a: a small stable hash (not for security), so the same text always draws the same picture. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

function escapeXml(text: string): string {
  return text.replace(
    /[<>&"']/g,
    (ch) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;", "'": "&apos;" })[ch]!,
  );
}

/** Up to two initials from the name's words ("Classic Pour-over Kettle" → "CP"). */
export function initialsOf(name: string): string {
  const words = name.match(/[\p{L}\p{N}]+/gu) ?? [];
  return (
    words
      .slice(0, 2)
      .map((w) => w[0]!.toUpperCase())
      .join("") || "?"
  );
}

export function productArtSvg(p: { name: string; category: string; sku: string }): string {
  const hue = hash(p.category) % 360;
  const seed = hash(`${p.sku}:${p.name}`);
  const accent = (hue + 30 + (seed % 60)) % 360;
  const circles = Array.from({ length: 5 }, (_, i) => {
    const s = hash(`${seed}:${i}`);
    const cx = 20 + (s % 360);
    const cy = 20 + ((s >>> 9) % 260);
    const r = 24 + ((s >>> 18) % 70);
    const opacity = (0.12 + ((s >>> 5) % 20) / 100).toFixed(2);
    return `<circle cx="${cx}" cy="${cy}" r="${r}" fill="hsl(${accent} 70% 92%)" fill-opacity="${opacity}"/>`;
  }).join("");
  const label = escapeXml(initialsOf(p.name));
  const category = escapeXml(p.category.toUpperCase());
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 400 300" width="400" height="300" role="img" aria-label="${escapeXml(p.name)}">
<defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="hsl(${hue} 55% 42%)"/><stop offset="1" stop-color="hsl(${accent} 60% 28%)"/></linearGradient></defs>
<rect width="400" height="300" fill="url(#g)"/>${circles}
<text x="200" y="170" text-anchor="middle" font-family="system-ui, sans-serif" font-size="96" font-weight="700" fill="#fff" fill-opacity="0.92">${label}</text>
<text x="200" y="262" text-anchor="middle" font-family="system-ui, sans-serif" font-size="18" letter-spacing="4" fill="#fff" fill-opacity="0.75">${category}</text>
</svg>`;
}
