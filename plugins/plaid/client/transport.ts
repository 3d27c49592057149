// The official SDK's HTTP layer, replaced: PlaidApi takes an axios-like object as its third argument
// and calls only its `request(config)`. This one sends the request through ctx.fetch (permission-
// checked by the kernel; the only way out of the sandbox), and retries Plaid's rate limits and 5xx
// answers with exponential backoff and jitter, honouring Retry-After. Nothing about the request is
// ever logged: its body holds the secret and the access token.
import { PlaidApiError, type TransportResponse } from './errors.ts';

export type Fetch = (url: string, init: RequestInit) => Promise<Response>;

export type TransportOptions = {
  /** Attempts per request, the first included (default 4). */
  attempts?: number;
  /** First backoff in ms; doubles each time (default 500). */
  baseDelayMs?: number;
  /** Longest single wait in ms (default 8000): the job's own retry takes over beyond. */
  maxDelayMs?: number;
  sleep?: (ms: number) => Promise<void>;
  /** Called before each retry (status and wait), for logs and tests. */
  onRetry?: (info: { status: number | null; attempt: number; delayMs: number; path: string }) => void;
};

type AxiosLikeConfig = { url?: string; method?: string; headers?: Record<string, unknown>; data?: unknown };

const RETRYABLE = (status: number) => status === 429 || status >= 500;

function headersOf(config: AxiosLikeConfig): Headers {
  const h = new Headers();
  for (const [k, v] of Object.entries(config.headers ?? {})) if (v !== undefined && v !== null) h.set(k, String(v));
  return h;
}

function retryAfterMs(res: Response): number | null {
  const v = res.headers.get('retry-after');
  if (!v) return null;
  const seconds = Number(v);
  if (Number.isFinite(seconds)) return seconds * 1000;
  const at = Date.parse(v);
  return Number.isNaN(at) ? null : Math.max(0, at - Date.now());
}

export function fetchTransport(fetch: Fetch, opts: TransportOptions = {}) {
  const attempts = opts.attempts ?? 4;
  const base = opts.baseDelayMs ?? 500;
  const max = opts.maxDelayMs ?? 8000;
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));

  async function request(config: AxiosLikeConfig): Promise<TransportResponse> {
    const url = String(config.url);
    const path = new URL(url).pathname;
    const body = config.data === undefined || config.data === null ? undefined : typeof config.data === 'string' ? config.data : JSON.stringify(config.data);
    for (let attempt = 1; ; attempt++) {
      let res: Response;
      try {
        res = await fetch(url, { method: (config.method ?? 'GET').toUpperCase(), headers: headersOf(config), body });
      } catch (err) {
        // A refused permission is final; a dropped connection is worth another try.
        if ((err as Error).name === 'PermissionDenied' || attempt >= attempts) throw err;
        const delayMs = Math.min(max, base * 2 ** (attempt - 1));
        opts.onRetry?.({ status: null, attempt, delayMs, path });
        await sleep(delayMs);
        continue;
      }
      const text = await res.text();
      let data: unknown = text;
      try {
        data = text ? JSON.parse(text) : null;
      } catch {
        // Not JSON (a proxy's error page): kept as text.
      }
      const response: TransportResponse = { data, status: res.status, statusText: res.statusText, headers: Object.fromEntries(res.headers) };
      if (res.status >= 200 && res.status < 300) return response;
      if (!RETRYABLE(res.status) || attempt >= attempts) throw new PlaidApiError(response);
      const backoff = Math.min(max, base * 2 ** (attempt - 1));
      const delayMs = Math.min(max, Math.max(retryAfterMs(res) ?? 0, backoff / 2 + Math.random() * (backoff / 2)));
      opts.onRetry?.({ status: res.status, attempt, delayMs, path });
      await sleep(delayMs);
    }
  }

  return { request, defaults: { headers: {} } };
}
