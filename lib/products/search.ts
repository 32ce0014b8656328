/**
 * A search query as words, and the same words as MariaDB/MySQL BOOLEAN MODE and SQLite FTS5
 * expressions over the index tokens of lib/products/segment.ts.
 *
 * - A Latin word (`phones`, `tv`, `4k`) matches a word starting with it or whose stem starts with
 *   its stem (as a shopper types: `head` finds headphones, `phones` finds phone).
 * - A Han word (segmented as at index time) of two or more characters matches a text holding all
 *   its bigrams, one character matches that character: `耳机` finds `无线蓝牙耳机`.
 * - Whole words weigh more than fragments: each word also boosts rows where it is a whole word.
 * - Strict: every word required. Relaxed (when nothing has every word): any word, ranked.
 */
import {
  bigrams,
  KIND,
  latinWord,
  MAX_HAN_WORD_LENGTH,
  queryHanWords,
  runsOf,
  stem,
} from "./segment.ts";

/** Longer queries are cut: the rest of the words add cost, not precision. */
export const MAX_WORDS = 8;

/** A set of index tokens of which any one satisfies it. */
export interface Term {
  tokens: string[];
  /** Tokens match as prefixes. */
  prefix: boolean;
}

/** One word of a query: a row matches it when it satisfies every term. */
export interface SearchWord {
  terms: Term[];
  /** Exact tokens that rank a row higher (the word as a whole word). */
  boost: string[];
}

/** The words of a query; empty when nothing in it can be searched. */
export function searchWords(q: string | undefined): SearchWord[] {
  if (!q) return [];
  const words = new Map<string, SearchWord>();
  for (const run of runsOf(q)) {
    if (run.han) {
      for (const w of queryHanWords(run.text)) words.set(KIND.hanWord + w, hanWord(w));
    } else {
      const w = latinWord(run.text);
      words.set(KIND.word + w, {
        terms: [{ tokens: latinTokens(w), prefix: true }],
        boost: latinTokens(w),
      });
    }
  }
  return [...words.values()].slice(0, MAX_WORDS);
}

/** A Latin word as itself, its stem, and its stem as a word (`phones`: phones, phone). */
function latinTokens(w: string): string[] {
  const s = stem(w);
  return unique([KIND.word + w, KIND.stem + s, KIND.word + s]);
}

/** A Han word: all its bigrams; one character: the grams it begins. */
function hanWord(w: string): SearchWord {
  const pairs = bigrams(w);
  const terms =
    pairs.length === 0
      ? [{ tokens: [KIND.gram + w], prefix: true }]
      : // A long unknown run (rare characters the dictionary left single) is cut: its first
        // bigrams are precise enough, and each costs the engine a posting list.
        unique(pairs)
          .slice(0, MAX_HAN_WORD_LENGTH)
          .map((b) => ({ tokens: [KIND.gram + b], prefix: false }));
  return { terms, boost: [KIND.hanWord + w] };
}

function unique(items: string[]): string[] {
  return [...new Set(items)];
}

function mysqlTerm(t: Term): string {
  const tokens = t.tokens.map((x) => (t.prefix ? `${x}*` : x));
  return tokens.length === 1 ? tokens[0] : `(${tokens.join(" ")})`;
}

function boosts(words: readonly SearchWord[]): string[] {
  return unique(words.flatMap((w) => w.boost));
}

/**
 * MariaDB/MySQL BOOLEAN MODE: every word required (`+(zlphone* zsphone*) +zb耳机`). Required
 * terms only: InnoDB stops requiring a `+(...)` group when optional words follow it
 * (`+a +(b* c*) d` matches rows without `a`), so the boosts go into mysqlRank.
 */
export function mysqlAllWords(words: readonly SearchWord[]): string {
  return words.flatMap((w) => w.terms.map((t) => `+${mysqlTerm(t)}`)).join(" ");
}

/** MariaDB/MySQL BOOLEAN MODE: any word, for relaxed matches. */
export function mysqlAnyWord(words: readonly SearchWord[]): string {
  return words.flatMap((w) => w.terms.map(mysqlTerm)).join(" ");
}

/**
 * MariaDB/MySQL BOOLEAN MODE: the words as whole words, ranked apart (InnoDB counts a token of a
 * query once, so `pad* pad` would not weigh `pad` over `paddle`).
 */
export function mysqlWholeWords(words: readonly SearchWord[]): string {
  return boosts(words).join(" ");
}

function fts5Term(t: Term): string {
  const tokens = t.tokens.map((x) => `"${x}"${t.prefix ? "*" : ""}`);
  return tokens.length === 1 ? tokens[0] : `(${tokens.join(" OR ")})`;
}

/**
 * SQLite FTS5: every word required; the boosts are ORed with the first term so that they add to
 * bm25 where they occur without changing which rows match. bm25 sums over the phrases of the
 * query, and each term is there twice: the boosts are too, or prefixes of longer words would
 * outweigh whole words.
 */
export function fts5AllWords(words: readonly SearchWord[]): string {
  const required = words.flatMap((w) => w.terms.map(fts5Term));
  const whole = boosts(words).map((b) => `"${b}"`);
  return [...required, `(${[required[0], ...whole, ...whole].join(" OR ")})`].join(" AND ");
}

/** SQLite FTS5: any word. */
export function fts5AnyWord(words: readonly SearchWord[]): string {
  const terms = words.flatMap((w) => w.terms.map(fts5Term));
  return [...terms, ...boosts(words).map((b) => `"${b}"`)].join(" OR ");
}
