// The browser's auth cookies: HttpOnly, SameSite=Lax, Secure when the instance is served over https.
// Cookies set while handling a request are re-applied to the final response, so a session rotated
// by authenticate() survives even when a handler answers with an error it built itself.
import type { Context } from 'hono';
import { generateCookie, getCookie } from 'hono/cookie';
import type { Kernel } from '../kernel.ts';

export const ACCESS_COOKIE = 'mff_access';
export const REFRESH_COOKIE = 'mff_refresh';
export const CSRF_COOKIE = 'mff_csrf';

const queued = new WeakMap<Context, string[]>();

export const secureCookies = (k: Kernel) => k.config.MFF_PUBLIC_URL?.startsWith('https:') ?? false;

export function setAuthCookie(c: Context, k: Kernel, name: string, value: string, maxAgeSeconds: number): void {
  const cookie = generateCookie(name, value, {
    path: '/',
    httpOnly: true,
    sameSite: 'Lax',
    secure: secureCookies(k),
    maxAge: maxAgeSeconds,
  });
  c.header('set-cookie', cookie, { append: true });
  const list = queued.get(c) ?? [];
  list.push(cookie);
  queued.set(c, list);
}

export const clearAuthCookie = (c: Context, k: Kernel, name: string) => setAuthCookie(c, k, name, '', 0);

export const readCookie = (c: Context, name: string): string | undefined => getCookie(c, name) || undefined;

/** Call after next(): puts back any queued Set-Cookie the final response lost. */
export function reapplyCookies(c: Context): void {
  const list = queued.get(c);
  if (!list?.length) return;
  const present = new Set(c.res.headers.getSetCookie());
  const missing = list.filter((x) => !present.has(x));
  if (!missing.length) return;
  try {
    for (const x of missing) c.res.headers.append('set-cookie', x);
  } catch {
    const res = new Response(c.res.body, c.res); // immutable headers (e.g. Response.redirect)
    for (const x of missing) res.headers.append('set-cookie', x);
    c.res = res;
  }
}
