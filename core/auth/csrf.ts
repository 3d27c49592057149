// CSRF protection for cookie-authenticated and browser-form requests. Each browser gets a random
// HttpOnly `mff_csrf` cookie; the token pages embed (meta tag, hx-headers, hidden `_csrf` fields)
// is HMAC(k.keys.csrf, cookie). A cross-site page can make the browser send the cookie, but it
// cannot read the token, so unsafe requests without it are refused with 403.
//
// Exempt: requests authenticated by an Authorization header (a cross-site page cannot set one), and
// anonymous requests with a JSON body (a browser cannot send one cross-site without a CORS
// preflight, which mff never grants), e.g. POST /api/v1/auth/token from a script.
import { createHmac, randomBytes } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import type { AppEnv } from '../http/env.ts';
import { Problem } from '../http/problem.ts';
import type { Kernel } from '../kernel.ts';
import { CSRF_COOKIE, readCookie, setAuthCookie } from './cookies.ts';
import { safeEqual } from './secret-tokens.ts';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const COOKIE_SHAPE = /^[A-Za-z0-9_-]{43}$/;
const YEAR = 365 * 86_400;

export const csrfTokenFor = (k: Kernel, cookie: string) => createHmac('sha256', k.keys.csrf).update(cookie).digest('base64url');

const isJson = (c: Context) => /^application\/([\w.+-]*\+)?json\b/i.test(c.req.header('content-type') ?? '');
const isForm = (c: Context) => /^(application\/x-www-form-urlencoded|multipart\/form-data)\b/i.test(c.req.header('content-type') ?? '');

function needsCheck(c: Context<AppEnv>): boolean {
  if (SAFE_METHODS.has(c.req.method)) return false;
  const auth = c.get('auth');
  if (auth && auth.via !== 'cookie') return false;
  if (auth?.via === 'cookie') return true;
  return !isJson(c);
}

async function presentedToken(c: Context): Promise<string | undefined> {
  const header = c.req.header('x-csrf-token');
  if (header) return header;
  if (!isForm(c)) return undefined;
  const body = await c.req.parseBody(); // cached by Hono: handlers can still read the form
  const field = body._csrf;
  return typeof field === 'string' ? field : undefined;
}

const refused = () =>
  new Problem(403, 'Forbidden', 'This form has expired or did not come from mff (missing or invalid CSRF token). Reload the page and try again.');

export function csrfProtection(k: Kernel): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    let cookie = readCookie(c, CSRF_COOKIE);
    const valid = cookie !== undefined && COOKIE_SHAPE.test(cookie);
    if (!valid && !c.req.header('authorization')) {
      cookie = randomBytes(32).toString('base64url');
      setAuthCookie(c, k, CSRF_COOKIE, cookie, YEAR);
    }
    const token = cookie && (valid || !c.req.header('authorization')) ? csrfTokenFor(k, cookie) : '';
    c.set('csrfToken', token);
    if (needsCheck(c)) {
      const sent = await presentedToken(c);
      if (!valid || !sent || !safeEqual(sent, token)) throw refused();
    }
    await next();
  };
}
