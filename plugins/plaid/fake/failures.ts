// Failures a test scripts ahead of time: the next n matching requests get a 429 or a 500 instead of
// their answer. Kept per item (requests with its access token) and for the whole fake.

export type FailureKind = 'rate_limit' | 'server_error';

type Scripted = { kind: FailureKind; remaining: number; endpoint?: string };

export class FailureQueue {
  #queue: Scripted[] = [];

  add(kind: FailureKind, times: number, endpoint?: string): void {
    if (!Number.isInteger(times) || times < 1) throw new RangeError('times must be a positive integer');
    this.#queue.push({ kind, remaining: times, endpoint });
  }

  /** Consumes and returns the first scripted failure that applies to this endpoint, if any. */
  take(path: string): FailureKind | null {
    const f = this.#queue.find((x) => !x.endpoint || x.endpoint === path);
    if (!f) return null;
    if (--f.remaining === 0) this.#queue.splice(this.#queue.indexOf(f), 1);
    return f.kind;
  }

  clear(): void {
    this.#queue = [];
  }
}
