// Okapi BM25 over a handful of passages: the retrieval behind the assistants' knowledge base. Self-contained
// (no dependencies, no I/O) and deterministic: the same passages and query always rank the same way, ties by
// the order the passages were given in.
//
//   score(q, d) = sum over query terms t of  idf(t) * tf(t, d) * (k1 + 1) / (tf(t, d) + k1 * (1 - b + b * |d| / avgdl))
//   idf(t)      = ln(1 + (N - df(t) + 0.5) / (df(t) + 0.5))          (never negative)

const STOP_WORDS = new Set(
  (
    'a an and are as at be been but by can could do does did for from has have had how i if in into is it its me my ' +
    'no not of on or our ours please so than that the their them then there these they this those to us was we were ' +
    'what when where which who whom why will with would you your yours about any anything some there here tell know ' +
    'hi hello hey thanks thank much many get got'
  ).split(' '),
);

/** A light English stemmer: enough for plurals and -ing/-ed forms to meet their base word. */
export function stem(word: string): string {
  if (word.length <= 3 || /\d/.test(word)) return word;
  if (word.endsWith('ies') && word.length > 4) return `${word.slice(0, -3)}y`;
  if (word.endsWith('sses')) return word.slice(0, -2);
  if (word.endsWith('ing') && word.length > 5) return word.slice(0, -3);
  if (word.endsWith('ed') && word.length > 4) return word.slice(0, -2);
  if (word.endsWith('s') && !/(ss|us|is)$/.test(word)) return word.slice(0, -1);
  return word;
}

/** Lower-case words without accents, stop words dropped, stemmed. */
export function tokenize(text: string): string[] {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w && !STOP_WORDS.has(w))
    .map(stem);
}

export interface Scored<T> {
  item: T;
  score: number;
}

export class Bm25Index<T> {
  private readonly docs: { item: T; length: number; tf: Map<string, number> }[];
  private readonly df = new Map<string, number>();
  private readonly avgLength: number;

  constructor(
    items: readonly T[],
    textOf: (item: T) => string,
    private readonly k1 = 1.2,
    private readonly b = 0.75,
  ) {
    this.docs = items.map((item) => {
      const tokens = tokenize(textOf(item));
      const tf = new Map<string, number>();
      for (const t of tokens) tf.set(t, (tf.get(t) ?? 0) + 1);
      for (const t of tf.keys()) this.df.set(t, (this.df.get(t) ?? 0) + 1);
      return { item, length: tokens.length, tf };
    });
    this.avgLength = this.docs.reduce((s, d) => s + d.length, 0) / Math.max(1, this.docs.length);
  }

  get size(): number {
    return this.docs.length;
  }

  idf(term: string): number {
    const n = this.docs.length;
    const df = this.df.get(term) ?? 0;
    return Math.log(1 + (n - df + 0.5) / (df + 0.5));
  }

  /** The best `limit` passages with a positive score, best first (equal scores keep the input order). */
  search(query: string, limit = 5): Scored<T>[] {
    const terms = [...new Set(tokenize(query))];
    if (!terms.length || !this.docs.length) return [];
    const scored = this.docs.map((d, i) => {
      let score = 0;
      for (const t of terms) {
        const f = d.tf.get(t);
        if (!f) continue;
        score += (this.idf(t) * f * (this.k1 + 1)) / (f + this.k1 * (1 - this.b + (this.b * d.length) / (this.avgLength || 1)));
      }
      return { item: d.item, score, i };
    });
    return scored
      .filter((s) => s.score > 0)
      .sort((x, y) => y.score - x.score || x.i - y.i)
      .slice(0, limit)
      .map(({ item, score }) => ({ item, score }));
  }
}
