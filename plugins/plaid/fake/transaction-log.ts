// An item's transactions as an append-only change log. Every add, modify or remove takes the next
// sequence number; a sync cursor is a position in that log. The updates from position p are the net
// effect of everything after p on what a client at p has seen:
//   unseen at p, present now  → added      seen at p, changed since → modified
//   seen at p, removed now    → removed    unseen at p, gone now    → nothing
import type { StoredTransaction, SyncUpdate } from './types.ts';

type Rec = { txn: StoredTransaction; createdSeq: number; removedSeq: number | null };

export class TransactionLog {
  /** log[i] is the id changed by sequence number i + 1. */
  #log: string[] = [];
  #recs = new Map<string, Rec>();
  #cache: { key: string; updates: SyncUpdate[] } | null = null;

  get head(): number {
    return this.#log.length;
  }

  get(id: string): StoredTransaction | undefined {
    const rec = this.#recs.get(id);
    return rec && rec.removedSeq === null ? rec.txn : undefined;
  }

  /** Every transaction currently present, in the order they were first added. */
  current(): StoredTransaction[] {
    const out: StoredTransaction[] = [];
    for (const rec of this.#recs.values()) if (rec.removedSeq === null) out.push(rec.txn);
    return out;
  }

  add(txn: StoredTransaction): void {
    if (this.#recs.has(txn.transaction_id)) throw new Error(`transaction ${txn.transaction_id} already exists`);
    this.#log.push(txn.transaction_id);
    this.#recs.set(txn.transaction_id, { txn, createdSeq: this.head, removedSeq: null });
  }

  /** Replaces a present transaction (same id) with a new version. */
  replace(txn: StoredTransaction): void {
    const rec = this.#present(txn.transaction_id);
    this.#log.push(txn.transaction_id);
    rec.txn = txn;
  }

  remove(id: string): StoredTransaction {
    const rec = this.#present(id);
    this.#log.push(id);
    rec.removedSeq = this.head;
    return rec.txn;
  }

  /** Net updates between position `from` and the head, in the order they first happened. */
  updatesSince(from: number, accountId?: string): SyncUpdate[] {
    if (from < 0 || from > this.head) throw new RangeError(`position ${from} outside 0..${this.head}`);
    const key = `${from}:${this.head}:${accountId ?? ''}`;
    if (this.#cache?.key === key) return this.#cache.updates;
    const seen = new Set<string>();
    const updates: SyncUpdate[] = [];
    for (let i = from; i < this.#log.length; i++) {
      const id = this.#log[i]!;
      if (seen.has(id)) continue;
      seen.add(id);
      const rec = this.#recs.get(id)!;
      if (accountId !== undefined && rec.txn.account_id !== accountId) continue;
      const seenAtFrom = rec.createdSeq <= from;
      const presentNow = rec.removedSeq === null;
      if (seenAtFrom && presentNow) updates.push({ kind: 'modified', txn: rec.txn });
      else if (seenAtFrom) updates.push({ kind: 'removed', txn: rec.txn });
      else if (presentNow) updates.push({ kind: 'added', txn: rec.txn });
    }
    this.#cache = { key, updates };
    return updates;
  }

  #present(id: string): Rec {
    const rec = this.#recs.get(id);
    if (!rec || rec.removedSeq !== null) throw new Error(`no transaction ${id}`);
    return rec;
  }
}
