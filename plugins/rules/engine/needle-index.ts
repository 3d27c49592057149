// Which of many lower-case needles occur in a text, without testing each one: needles are bucketed
// by a hash of their first three characters and only checked where the text has a matching
// trigram. With 200 rules this replaces 200 substring scans per field by one pass over a
// ~30-character payee. The hash is a small integer (array index, no Map lookups, no allocation);
// collisions only cost a startsWith check. Each needle carries a value (what it stands for), handed
// to the visitor with it, so a hit needs no second lookup.
const BUCKETS = 4096;

const hash3 = (s: string, i: number) => ((s.charCodeAt(i) * 961 + s.charCodeAt(i + 1) * 31 + s.charCodeAt(i + 2)) >>> 0) & (BUCKETS - 1);

type Entry<V> = { needle: string; value: V };

export class NeedleIndex<V> {
  private short: Entry<V>[] = []; // under three characters: checked directly
  private buckets: (Entry<V>[] | undefined)[] = new Array(BUCKETS);
  private all = new Map<string, V>();

  /** The value stored with `needle`, or `make()`'s, stored now. */
  entry(needle: string, make: () => V): V {
    const known = this.all.get(needle);
    if (known !== undefined) return known;
    const value = make();
    this.all.set(needle, value);
    const e = { needle, value };
    if (needle.length < 3) this.short.push(e);
    else (this.buckets[hash3(needle, 0)] ??= []).push(e);
    return value;
  }

  get size(): number {
    return this.all.size;
  }

  /**
   * Calls `visit(value, arg)` for each needle occurring in `text` (already lower-cased); a needle may
   * be visited more than once. `arg` is passed through, so the visitor need not be a new closure per call.
   */
  each<A>(text: string | null, visit: (value: V, arg: A) => void, arg: A): void {
    if (text === null || this.all.size === 0) return;
    for (const e of this.short) if (text.includes(e.needle)) visit(e.value, arg);
    for (let i = 0; i + 3 <= text.length; i++) {
      const list = this.buckets[hash3(text, i)];
      if (list === undefined) continue;
      for (const e of list) if (text.startsWith(e.needle, i)) visit(e.value, arg);
    }
  }
}
