// PostgreSQL's text cannot hold U+0000: a NUL in any value a handler might store would end as a
// 500 deep in a plugin's SQL. The kernel refuses it at the door instead, naming the field, for the
// JSON API (params, query, body) and for every page's query string and form fields (uploaded files
// are left alone: a UTF-16 statement is full of zero bytes before it is decoded).
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from './env.ts';
import { badRequest } from './problem.ts';

/** The path of the first string (key or value) holding a NUL, or null. */
export function nulAt(value: unknown, path: string): string | null {
  if (typeof value === 'string') return value.includes('\u0000') ? path : null;
  if (value === null || typeof value !== 'object') return null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const at = nulAt(value[i], `${path}.${i}`);
      if (at) return at;
    }
    return null;
  }
  for (const [k, v] of Object.entries(value)) {
    if (k.includes('\u0000')) return `${path}.${k.replaceAll('\u0000', '\\u0000')}`;
    const at = nulAt(v, `${path}.${k}`);
    if (at) return at;
  }
  return null;
}

/** Throws a 400 naming the field when `value` holds a NUL anywhere. */
export function refuseNul(value: unknown, where: string): void {
  const field = nulAt(value, where);
  if (field) {
    const message = 'must not contain the NUL character (U+0000)';
    throw badRequest(`${field}: ${message}`, [{ field, message }]);
  }
}

const isForm = (type: string) => /^(application\/x-www-form-urlencoded|multipart\/form-data)\b/i.test(type);

/** Every request's query string, and form posts' text fields. */
export function refuseNulInRequests(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const url = c.req.url;
    const q = url.indexOf('?');
    if (q >= 0 && /%00/.test(url.slice(q))) refuseNul(Object.fromEntries(new URL(url).searchParams), 'query');
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD' && isForm(c.req.header('content-type') ?? '')) {
      const form = await c.req.parseBody({ all: true }); // cached by Hono: handlers still read the form
      const text = Object.fromEntries(Object.entries(form).map(([k, v]) => [k, Array.isArray(v) ? v.filter((x) => typeof x === 'string') : typeof v === 'string' ? v : '']));
      refuseNul(text, 'form');
    }
    await next();
  };
}
