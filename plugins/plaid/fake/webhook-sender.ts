// Delivers webhooks the way Plaid does: POST, JSON pretty-printed with two spaces (so a verifier
// that re-serializes instead of hashing the raw body fails), signed in Plaid-Verification.
// Deliveries go out one at a time in order and are recorded, so tests can await and inspect them.
import { signBody, type SigningKey } from './webhook-keys.ts';

export type Delivery = {
  url: string;
  body: Record<string, unknown>;
  rawBody: string;
  jwt: string;
  /** HTTP status the receiver answered, or null when the request failed (see `error`). */
  status: number | null;
  error: string | null;
  sentAt: string;
};

export class WebhookSender {
  readonly deliveries: Delivery[] = [];
  #chain: Promise<unknown> = Promise.resolve();
  #key: () => SigningKey;
  #now: () => Date;
  #timeoutMs: number;

  constructor(opts: { key: () => SigningKey; now: () => Date; timeoutMs?: number }) {
    this.#key = opts.key;
    this.#now = opts.now;
    this.#timeoutMs = opts.timeoutMs ?? 10_000;
  }

  /** Queues a webhook; the promise settles (never rejects) once it was delivered or failed. */
  send(url: string, body: Record<string, unknown>): Promise<Delivery> {
    const run = this.#chain.then(() => this.#deliver(url, body));
    this.#chain = run;
    return run;
  }

  /** Resolves when everything queued so far has been delivered (or failed). */
  async settled(): Promise<void> {
    let last: Promise<unknown>;
    do {
      last = this.#chain;
      await last;
    } while (last !== this.#chain);
  }

  async #deliver(url: string, body: Record<string, unknown>): Promise<Delivery> {
    const rawBody = JSON.stringify(body, null, 2);
    const sentAt = this.#now();
    const jwt = await signBody(rawBody, this.#key(), Math.floor(sentAt.getTime() / 1000));
    const d: Delivery = { url, body, rawBody, jwt, status: null, error: null, sentAt: sentAt.toISOString() };
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'plaid-verification': jwt, 'user-agent': 'Plaid Verifier' },
        body: rawBody,
        signal: AbortSignal.timeout(this.#timeoutMs),
      });
      await res.arrayBuffer();
      d.status = res.status;
    } catch (err) {
      d.error = err instanceof Error ? err.message : String(err);
    }
    this.deliveries.push(d);
    return d;
  }
}
