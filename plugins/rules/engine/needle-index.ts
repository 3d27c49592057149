// Which of many lower-case needles occur in a text, without testing each one: needles are indexed
// by their first three characters and only checked where the text has that trigram. With 200 rules
// this replaces 200 substring scans per field by one pass over a ~30-character payee.
export class NeedleIndex {
  private short: string[] = []; // under three characters: checked directly
  private byTrigram = new Map<number, string[]>(); // keyed by the three UTF-16 units packed in a number
  private all = new Set<string>();

  add(needle: string): void {
    if (this.all.has(needle)) return;
    this.all.add(needle);
    if (needle.length < 3) {
      this.short.push(needle);
      return;
    }
    const key = trigram(needle, 0);
    const list = this.byTrigram.get(key);
    if (list) list.push(needle);
    else this.byTrigram.set(key, [needle]);
  }

  get size(): number {
    return this.all.size;
  }

  /** The needles that occur in `text` (already lower-cased). */
  found(text: string | null): Set<string> {
    const hits = new Set<string>();
    if (text === null || this.all.size === 0) return hits;
    for (const n of this.short) if (text.includes(n)) hits.add(n);
    for (let i = 0; i + 3 <= text.length; i++) {
      const list = this.byTrigram.get(trigram(text, i));
      if (!list) continue;
      for (const n of list) if (!hits.has(n) && text.startsWith(n, i)) hits.add(n);
    }
    return hits;
  }
}

const trigram = (s: string, i: number) => s.charCodeAt(i) * 4294967296 + s.charCodeAt(i + 1) * 65536 + s.charCodeAt(i + 2);
