// Deterministic pseudo-randomness for generated data: the same seed always yields the same history,
// so tests can compare against exact values and the demo looks the same on every machine.
// sfc32 seeded from SHA-256 of the seed string: fast, good enough statistically, no dependencies.
import { createHash } from 'node:crypto';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

export class Rng {
  #a: number;
  #b: number;
  #c: number;
  #d: number;

  constructor(seed: string | number) {
    const h = createHash('sha256').update(String(seed)).digest();
    this.#a = h.readUInt32LE(0);
    this.#b = h.readUInt32LE(4);
    this.#c = h.readUInt32LE(8);
    this.#d = h.readUInt32LE(12);
    for (let i = 0; i < 12; i++) this.next();
  }

  /** Uniform in [0, 1). */
  next(): number {
    const t = (((this.#a + this.#b) | 0) + this.#d) | 0;
    this.#d = (this.#d + 1) | 0;
    this.#a = this.#b ^ (this.#b >>> 9);
    this.#b = (this.#c + (this.#c << 3)) | 0;
    this.#c = (this.#c << 21) | (this.#c >>> 11);
    this.#c = (this.#c + t) | 0;
    return (t >>> 0) / 4294967296;
  }

  /** Integer in [min, max] inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from empty list');
    return items[Math.floor(this.next() * items.length)]!;
  }

  weighted<T extends { weight: number }>(items: readonly T[]): T {
    const total = items.reduce((s, i) => s + i.weight, 0);
    let r = this.next() * total;
    for (const item of items) {
      r -= item.weight;
      if (r < 0) return item;
    }
    return items[items.length - 1]!;
  }

  /** Amount in integer cents between min and max dollars, skewed toward the low end like real spending. */
  cents(min: number, max: number): number {
    const skewed = this.next() ** 1.8;
    return Math.round((min + (max - min) * skewed) * 100);
  }

  /** A Plaid-looking opaque identifier (base62). */
  id(length = 37): string {
    let out = '';
    for (let i = 0; i < length; i++) out += BASE62[Math.floor(this.next() * 62)];
    return out;
  }
}

const stableIds = new Map<string, string>();

/** A stable base62 identifier derived from a name (merchant entity ids, security ids). */
export function stableId(name: string, length = 37): string {
  const key = `${length}:${name}`;
  let id = stableIds.get(key);
  if (id === undefined) stableIds.set(key, (id = new Rng(`stable:${name}`).id(length)));
  return id;
}
