/**
 * Which product picture URLs the shop accepts: a path on this shop (`/pictures/x.png`) or an
 * https URL. Parsed with the URL API as a browser would: `/\evil.example/x.png` and
 * `//evil.example/x.png` are other hosts to a browser (it reads `\` as `/`), so a path must start
 * with a single `/`, stay on this origin and hold no backslash.
 */

/** An origin that never exists: a path resolved against it must stay on it. */
const HERE = "https://this-shop.invalid";

/** The reason the value is not an acceptable picture URL, or undefined when it is. */
export function pictureUrlProblem(value: string): string | undefined {
  // Backslashes, white space and control characters: browsers fix them up in ways that move hosts.
  if (/[\\\s\p{Cc}]/u.test(value)) return "must not contain backslashes or spaces";
  if (value.startsWith("/")) {
    if (value.startsWith("//")) return "must be a path on this shop (one leading /) or https";
    const url = parse(value, HERE);
    // Dot segments must not make `//host` of it either (`/..//evil.example/x`).
    if (!url || url.origin !== HERE || url.pathname.startsWith("//")) {
      return "must stay on this shop";
    }
    return undefined;
  }
  const url = /^https:\/\//i.test(value) ? parse(value) : undefined;
  if (!url || url.protocol !== "https:") return "must be a path on this shop or an https URL";
  if (!url.hostname) return "must name a host";
  if (url.username || url.password) return "must not carry credentials";
  return undefined;
}

function parse(value: string, base?: string): URL | undefined {
  try {
    return new URL(value, base);
  } catch {
    return undefined;
  }
}

/** fastest-validator's `custom` check for a picture field (the message is the rule's). */
export function checkPictureUrl(value: unknown, errors: Array<{ type: string; actual: unknown }>) {
  if (typeof value === "string" && pictureUrlProblem(value)) {
    errors.push({ type: "pictureUrl", actual: value });
  }
  return value;
}
