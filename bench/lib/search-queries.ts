/** Search queries made of the words of the seeded catalog's product names (bench scenarios). */
import { getJson } from "./http.ts";

const segmenter = new Intl.Segmenter("zh", { granularity: "word" });

/** The Chinese words of a product name: ICU's words of two or more Han characters. */
export function chineseWords(name: string): string[] {
  return [...segmenter.segment(name)]
    .map((s) => s.segment)
    .filter((w) => /^\p{Script=Han}{2,}$/u.test(w));
}

/** The Latin words of a product name (`4k`, `type`, `kestrel`). */
export function latinWords(name: string): string[] {
  return name.toLowerCase().match(/[a-z0-9]{2,}/g) ?? [];
}

/**
 * Queries made of the words of product names: each word, and each pair of words of one name (so
 * that a pair matches the product it came from), shuffled the same way every run.
 */
export async function nameQueries(url: string, words: (name: string) => string[]) {
  const queries = new Set<string>();
  for (const page of [1, 50, 100, 150, 200]) {
    const body = await getJson<{ rows: Array<{ name: string }> }>(
      `${url}/api/products?page=${page}&pageSize=50`,
    );
    for (const row of body.rows) {
      const ws = [...new Set(words(row.name))];
      for (const w of ws) queries.add(w);
      for (let i = 0; i + 1 < ws.length; i += 1) queries.add(`${ws[i]} ${ws[i + 1]}`);
    }
  }
  return shuffle([...queries]);
}

function shuffle<T>(items: T[]): T[] {
  let seed = 7;
  const rnd = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
  for (let i = items.length - 1; i > 0; i -= 1) {
    const j = Math.floor(rnd() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}
