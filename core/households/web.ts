// Small helpers the households pages share: who is signed in, form fields, field errors.
import type { Context } from 'hono';
import type { z } from 'zod';
import type { AppEnv, Auth } from '../http/env.ts';
import { isFragmentRequest } from '../http/render.ts';
import { CURRENCIES, TIME_ZONES } from './schemas.ts';

const currencyNames = new Intl.DisplayNames(['en'], { type: 'currency' });
export const currencyOptions = CURRENCIES.map((code) => ({ code, label: `${code} · ${currencyNames.of(code) ?? code}` }));
export const timeZoneOptions = TIME_ZONES;

export type FieldErrors = Record<string, string>;

/** Where to send someone who must sign in first, coming back to `next` afterwards. */
export const loginUrl = (next: string) => `/login?next=${encodeURIComponent(next)}`;
export const signupUrl = (next: string) => `/signup?next=${encodeURIComponent(next)}`;

/** The signed-in caller, or a redirect to log in (browsers) / 401 (others) as a Response. */
export function signedIn(c: Context<AppEnv>): Auth | Response {
  const auth = c.get('auth');
  if (auth) return auth;
  const here = c.req.method === 'GET' ? c.req.path + new URL(c.req.url).search : '/';
  return c.redirect(loginUrl(here), 303);
}

export async function formFields(c: Context<AppEnv>): Promise<Record<string, string>> {
  const body = await c.req.parseBody();
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(body)) if (typeof v === 'string') out[k] = v;
  return out;
}

export function fieldErrors(err: z.ZodError): FieldErrors {
  const out: FieldErrors = {};
  for (const i of err.issues) {
    const key = String(i.path[0] ?? 'form');
    out[key] ??= i.code === 'unrecognized_keys' ? 'unknown field' : i.message;
  }
  return out;
}

/** After a successful form post: the fresh fragment for htmx, a redirect (post/redirect/get) otherwise. */
export function afterPost(c: Context<AppEnv>, to: string, fragment: () => Promise<Response>): Promise<Response> | Response {
  return isFragmentRequest(c) ? fragment() : c.redirect(to, 303);
}

/** A full-page navigation after a post, also when the post came from htmx. */
export function navigate(c: Context<AppEnv>, to: string): Response {
  if (c.req.header('hx-request') === 'true') {
    c.header('HX-Redirect', to);
    return c.body(null, 204);
  }
  return c.redirect(to, 303);
}
