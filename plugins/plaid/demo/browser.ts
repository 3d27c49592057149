// What the demo does in the app, it does as a person with a browser would: forms with the CSRF
// token, cookies kept, redirects not followed.
export class Browser {
  readonly base: string;
  #cookies = new Map<string, string>();
  csrf = '';
  constructor(base: string) {
    this.base = base;
  }

  async request(method: string, path: string, form?: Record<string, string>): Promise<{ status: number; text: string; location: string | null }> {
    const headers: Record<string, string> = { accept: 'text/html' };
    if (this.#cookies.size) headers.cookie = [...this.#cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    let body: URLSearchParams | undefined;
    if (form) {
      body = new URLSearchParams({ ...form, _csrf: this.csrf });
      headers['content-type'] = 'application/x-www-form-urlencoded';
    }
    const res = await fetch(this.base + path, { method, headers, body, redirect: 'manual' });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const i = pair.indexOf('=');
      this.#cookies.set(pair.slice(0, i).trim(), pair.slice(i + 1).trim());
    }
    const text = await res.text();
    const token = text.match(/name="csrf-token" content="([^"]*)"/)?.[1];
    if (token) this.csrf = token;
    return { status: res.status, text, location: res.headers.get('location') };
  }

  get(path: string) {
    return this.request('GET', path);
  }

  /** Posts a form; throws unless the app answers with a redirect (its way of saying "done"). */
  async submit(path: string, form: Record<string, string>): Promise<string | null> {
    if (!this.csrf) await this.get(path.startsWith('/p/') ? '/' : path);
    const res = await this.request('POST', path, form);
    if (res.status !== 303 && res.status !== 302) throw new Error(`POST ${path}: ${res.status} ${res.text.slice(0, 300)}`);
    return res.location;
  }
}
