// Which of many lower-case needles occur in a text, without testing each one: needles are bucketed
// by a hash of their first three characters and only checked where the text has a matching
// trigram. With 200 rules this replaces 200 substring scans per field by one pass over a
// ~30-character payee. The hash is a small integer (array index, no Map lookups, no allocation);
// collisions only cost a startsWith check.
const BUCKETS = 4096;

const hash3 = (s: string, i: number) => ((s.charCodeAt(i) * 961 + s.charCodeAt(i + 1) * 31 + s.charCodeAt(i + 2)) >>> 0) & (BUCKETS - 1);

export class NeedleIndex {
  private short: string[] = []; // under three characters: checked directly
  private buckets: (string[] | undefined)[] = new Array(BUCKETS);
  private all = new Set<string>();

  add(needle: string): void {
    if (this.all.has(needle)) return;
    this.all.add(needle);
    if (needle.length < 3) {
      this.short.push(needle);
      return;
    }
    const key = hash3(needle, 0);
    (this.buckets[key] ??= []).push(needle);
  }

  get size(): number {
    return this.all.size;
  }

  /** Calls `visit` for each needle occurring in `text` (already lower-cased); a needle may be visited more than once. */
  each(text: string | null, visit: (needle: string) => void): void {
    if (text === null || this.all.size === 0) return;
    for (const n of this.short) if (text.includes(n)) visit(n);
    for (let i = 0; i + 3 <= text.length; i++) {
      const list = this.buckets[hash3(text, i)];
      if (list === undefined) continue;
      for (const n of list) if (text.startsWith(n, i)) visit(n);
    }
  }

  /** The needles that occur in `text` (already lower-cased). */
  found(text: string | null): Set<string> {
    const hits = new Set<string>();
    this.each(text, (n) => hits.add(n));
    return hits;
  }
}
