// An HTTP client for tests that behaves like a browser where it matters: it keeps cookies,
// does not follow redirects (so tests can assert them) and can send the page's CSRF token.
export type TestResponse = { status: number; headers: Headers; text: string; json<T = any>(): T; location: string | null };

export class TestClient {
  cookies = new Map<string, string>();
  csrf = '';
  readonly baseUrl: string;
  constructor(baseUrl: string) {
    this.baseUrl = baseUrl;
  }

  cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  async request(method: string, path: string, init: { body?: BodyInit; headers?: Record<string, string> } = {}): Promise<TestResponse> {
    const headers: Record<string, string> = { accept: 'text/html', ...init.headers };
    if (this.cookies.size) headers.cookie = this.cookieHeader();
    const res = await fetch(this.baseUrl + path, { method, headers, body: init.body, redirect: 'manual' });
    for (const c of res.headers.getSetCookie()) {
      const [pair, ...attrs] = c.split(';');
      const i = pair.indexOf('=');
      const name = pair.slice(0, i).trim();
      const value = pair.slice(i + 1).trim();
      const expired = attrs.some((a) => /max-age=0\b/i.test(a.trim())) || value === '';
      if (expired) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    const text = await res.text();
    const m = text.match(/name="csrf-token" content="([^"]*)"/);
    if (m && m[1]) this.csrf = m[1];
    return { status: res.status, headers: res.headers, text, json: () => JSON.parse(text), location: res.headers.get('location') };
  }

  get(path: string, headers?: Record<string, string>) {
    return this.request('GET', path, { headers });
  }

  /** A browser form post, with the CSRF token unless `csrf: false`. */
  form(path: string, fields: Record<string, string>, opts: { csrf?: boolean; headers?: Record<string, string> } = {}) {
    const body = new URLSearchParams(fields);
    if (opts.csrf !== false) body.set('_csrf', this.csrf);
    return this.request('POST', path, { body, headers: { 'content-type': 'application/x-www-form-urlencoded', ...opts.headers } });
  }

  /** A JSON API call; `token` sends a bearer token instead of cookies' ambient authority. */
  async api(method: string, path: string, body?: unknown, opts: { token?: string; headers?: Record<string, string> } = {}) {
    const headers: Record<string, string> = { accept: 'application/json', ...opts.headers };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    const saved = this.cookies;
    if (opts.token) this.cookies = new Map();
    try {
      return await this.request(method, path, { body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body), headers });
    } finally {
      if (opts.token) this.cookies = saved;
    }
  }
}
