/**
 * Splitting product text into search tokens, the same at index time and at query time.
 *
 * Text is NFKC-normalised (full-width `４Ｋ` → `4k`) and lower-cased, then cut into runs of Han
 * characters and runs of other letters and digits. A Han run is segmented into words by ICU's
 * dictionary segmenter (`Intl.Segmenter`, built into Node); where its dictionary misses a word it
 * falls back to single characters (`华为` → `华/为`), so adjacent single characters are joined back
 * into one word (`华为`). Every Han run is also indexed as its bigrams and its last character, so
 * that any word of a query matches inside a longer run whatever the dictionary did with it. A
 * Latin run is one word, indexed as itself and, where it differs, its Porter stem (`batteries` →
 * `batteri`).
 *
 * Tokens carry a two-letter kind (`zl` word, `zs` stem, `zw` Han word, `zb` Han bigram or last
 * character): every token is then at least three characters long and never an InnoDB stopword,
 * so MariaDB/MySQL's FULLTEXT (innodb_ft_min_token_size = 3) indexes `tv`, `4k` and `鞋` like
 * SQLite's FTS5 does, and whole words and fragments can be weighed apart.
 */
import { stemmer } from "stemmer";

/** Prefixes of the token kinds. */
export const KIND = { word: "zl", stem: "zs", hanWord: "zw", gram: "zb" } as const;

/** Longer Latin words are cut (InnoDB's innodb_ft_max_token_size is 84 characters). */
export const MAX_WORD_LENGTH = 40;
/** Longer Han "words" (unknown runs joined back) are left to their bigrams. */
export const MAX_HAN_WORD_LENGTH = 12;

/** Runs of Han characters, or of other letters and digits (`[^\P{L}\p{Script=Han}]`: non-Han letters). */
const RUNS = /\p{Script=Han}+|(?:[^\P{L}\p{Script=Han}]|\p{N})+/gu;
const HAN = /^\p{Script=Han}/u;
const ASCII_WORD = /^[a-z]+$/;

/** Characters NFKC leaves alone: ASCII, CJK punctuation and the common ideographs. */
const NFKC_STABLE = /^[\t\n\r\x20-\x7e\u3001-\u303f\u3400-\u4dbf\u4e00-\u9fff]*$/;

/** Text as it is searched: NFKC, lower case. */
export function normalise(text: string): string {
  return (NFKC_STABLE.test(text) ? text : text.normalize("NFKC")).toLowerCase();
}

export interface Run {
  text: string;
  han: boolean;
}

/** The runs of Han characters and of other letters and digits, in order. */
export function runsOf(text: string): Run[] {
  return (normalise(text).match(RUNS) ?? []).map((r) => ({ text: r, han: HAN.test(r) }));
}

const segmenter = new Intl.Segmenter("zh", { granularity: "word" });
/** Segmentations of runs seen lately: product texts repeat their words (the seed, a re-index). */
const memo = new Map<string, string[]>();
/** Entries kept per memo (a few MB at most; the seed's texts have about 600 distinct runs). */
const MEMO_SIZE = 5_000;

/**
 * The words of a Han run: ICU's dictionary words, adjacent single characters (where the
 * dictionary knew no word) joined into one word: `李宁跑步鞋` → 李宁, 跑步, 鞋.
 */
export function hanWords(run: string): string[] {
  const known = memo.get(run);
  if (known) return known;
  const words: string[] = [];
  let singles = "";
  const flush = () => {
    if (singles) words.push(singles);
    singles = "";
  };
  for (const { segment } of segmenter.segment(run)) {
    if ([...segment].length === 1) {
      singles += segment;
    } else {
      flush();
      words.push(segment);
    }
  }
  flush();
  if (memo.size >= MEMO_SIZE) memo.clear();
  memo.set(run, words);
  return words;
}

/**
 * The words of a Han run with each single character attached to the word before it (or, at
 * the start, after it): the words a query asks for (`自行车` → 自行/车 → 自行车, `手机壳` → 手机壳,
 * `李宁跑步鞋` → 李宁, 跑步鞋), so a suffix such as 车, 壳 or 鞋 narrows its word down rather than
 * matching any text with that character.
 */
export function queryHanWords(run: string): string[] {
  const words: string[] = [];
  let pending = "";
  for (const w of hanWords(run)) {
    if ([...w].length === 1 && words.length > 0) words[words.length - 1] += w;
    else if ([...w].length === 1) pending += w;
    else {
      words.push(pending + w);
      pending = "";
    }
  }
  if (pending) words.push(pending);
  return words;
}

/** The bigrams of a Han run (`蓝牙耳机` → 蓝牙, 牙耳, 耳机); none for one character. */
export function bigrams(run: string): string[] {
  const chars = [...run];
  return chars.slice(1).map((c, i) => chars[i] + c);
}

/**
 * What a Han run is indexed as besides its words: its bigrams and its last character, so that
 * every character of the run begins one of them (a one-character query is their prefix).
 */
export function hanGrams(run: string): string[] {
  const chars = [...run];
  return [...bigrams(run), chars[chars.length - 1]];
}

const stems = new Map<string, string>();

/** The Porter stem of an English word; other words as they are. */
export function stem(word: string): string {
  if (!ASCII_WORD.test(word)) return word;
  let s = stems.get(word);
  if (s === undefined) {
    s = stemmer(word);
    if (stems.size >= MEMO_SIZE) stems.clear();
    stems.set(word, s);
  }
  return s;
}

/** A Latin run as a word of at most MAX_WORD_LENGTH characters. */
export function latinWord(run: string): string {
  return run.slice(0, MAX_WORD_LENGTH);
}

/** Index tokens of runs seen lately: a catalog's texts are made of a bounded vocabulary. */
const runTokens = new Map<string, readonly string[]>();

/** The index tokens of one run (see the header). */
function tokensOfRun(run: Run): readonly string[] {
  const known = runTokens.get(run.text);
  if (known) return known;
  const tokens: string[] = [];
  if (run.han) {
    for (const w of [...hanWords(run.text), ...queryHanWords(run.text)]) {
      if ([...w].length <= MAX_HAN_WORD_LENGTH) tokens.push(KIND.hanWord + w);
    }
    for (const g of hanGrams(run.text)) tokens.push(KIND.gram + g);
  } else {
    const w = latinWord(run.text);
    const s = stem(w);
    tokens.push(KIND.word + w);
    // The stem only where it differs: a query asks for its stem as a word too.
    if (s !== w) tokens.push(KIND.stem + s);
  }
  if (runTokens.size >= MEMO_SIZE) runTokens.clear();
  runTokens.set(run.text, tokens);
  return tokens;
}

/** The index tokens of a text, space-separated (a product's name, or its description). */
export function indexTokens(text: string): string {
  const tokens = new Set<string>();
  for (const run of runsOf(text)) for (const t of tokensOfRun(run)) tokens.add(t);
  return [...tokens].join(" ");
}

/** The search columns of a product: what products.searchName and products.searchBody hold. */
export function searchColumns(p: { name: string; description: string }): {
  searchName: string;
  searchBody: string;
} {
  return { searchName: indexTokens(p.name), searchBody: indexTokens(p.description) };
}
