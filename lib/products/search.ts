/**
 * Full-text search terms, the same on both databases: a query's words (letters and digits,
 * lower-cased), each matched as a word prefix, all of them required. Words MariaDB/MySQL's InnoDB
 * index cannot hold (shorter than its minimum token size, or in its default stopword list) are
 * dropped on both sides, so SQLite's FTS5 answers exactly like MariaDB does.
 */

/** innodb_ft_min_token_size (default 3). */
export const MIN_TERM_LENGTH = 3;
/** Longer queries are cut: the rest of the words add cost, not precision. */
export const MAX_TERMS = 8;

/** InnoDB's default full-text stopwords (INFORMATION_SCHEMA.INNODB_FT_DEFAULT_STOPWORD). */
const STOPWORDS = new Set(
  (
    "a about an are as at be by com de en for from how i in is it la of on or that the this to " +
    "was what when where who will with und www"
  ).split(" "),
);

/** The searchable words of a query; empty when nothing in it can be searched. */
export function searchTerms(q: string | undefined): string[] {
  if (!q) return [];
  const words = q
    .normalize("NFKC")
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length >= MIN_TERM_LENGTH && w.length <= 84 && !STOPWORDS.has(w));
  return [...new Set(words)].slice(0, MAX_TERMS);
}

/** MariaDB/MySQL BOOLEAN MODE: every word required, as a prefix (`+lamp* +desk*`). */
export function mysqlAllTerms(terms: readonly string[]): string {
  return terms.map((t) => `+${t}*`).join(" ");
}

/** MariaDB/MySQL BOOLEAN MODE: any word (`lamp* desk*`), for ranking name matches. */
export function mysqlAnyTerm(terms: readonly string[]): string {
  return terms.map((t) => `${t}*`).join(" ");
}

/** SQLite FTS5: every word required, as a prefix (`"lamp"* AND "desk"*`). */
export function fts5AllTerms(terms: readonly string[]): string {
  return terms.map((t) => `"${t}"*`).join(" AND ");
}
