/**
 * The pictures the shop draws for its products (no external image host): a deterministic SVG
 * from the product's id and name — a colour from the id, the name's initials and the name.
 */

const SIZE = 480;

export function productPictureSvg(id: string, name: string): string {
  const hue = hash(id) % 360;
  const accent = (hue + 40) % 360;
  const initials = name
    .split(/\s+/)
    .filter((w) => /^[\p{L}\p{N}]/u.test(w))
    .slice(0, 2)
    .map((w) => [...w][0].toUpperCase())
    .join("");
  const lines = wrap(name, 26).slice(0, 2);
  const text = lines
    .map(
      (line, i) =>
        `<text x="50%" y="${372 + i * 34}" text-anchor="middle" font-size="26" fill="#fff" ` +
        `font-family="system-ui, sans-serif">${escapeXml(line)}</text>`,
    )
    .join("");
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${SIZE}" height="${SIZE}" ` +
    `viewBox="0 0 ${SIZE} ${SIZE}" role="img" aria-label="${escapeXml(name)}">` +
    `<defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1">` +
    `<stop offset="0" stop-color="hsl(${hue} 65% 55%)"/>` +
    `<stop offset="1" stop-color="hsl(${accent} 60% 35%)"/></linearGradient></defs>` +
    `<rect width="${SIZE}" height="${SIZE}" fill="url(#g)"/>` +
    `<circle cx="240" cy="200" r="110" fill="#fff" fill-opacity="0.18"/>` +
    `<text x="50%" y="236" text-anchor="middle" font-size="96" font-weight="700" fill="#fff" ` +
    `font-family="system-ui, sans-serif">${escapeXml(initials || "?")}</text>` +
    text +
    `</svg>`
  );
}

export function escapeXml(s: string): string {
  return s.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** FNV-1a: a stable small hash, the same on every machine. */
function hash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i += 1) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines.map((l) => (l.length > width ? l.slice(0, width - 1) + "…" : l));
}
