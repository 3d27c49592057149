// Small helpers the ledger pages share: form bodies, htmx detection, answers, form errors.
import type { Context } from 'hono';
import type { PluginEnv } from '../../../plugin-sdk/index.ts';
import { HttpError } from '../service/errors.ts';

export async function readForm(req: Request): Promise<URLSearchParams> {
  const form = new URLSearchParams(await req.text());
  form.delete('_csrf');
  return form;
}

export const isHtmx = (req: Request) => req.headers.get('hx-request') === 'true';

/** A full page (the kernel wraps it in its layout) with a title. */
export const page = (c: Context<PluginEnv>, html: string, title: string, status = 200) =>
  c.html(html, status as 200, { 'x-mff-title': title });

/** After a successful post: a plain form follows a 303; htmx is told to navigate (HX-Redirect). */
export function done(c: Context<PluginEnv>, to: string) {
  if (isHtmx(c.req.raw)) return c.body(null, 200, { 'hx-redirect': to });
  return c.redirect(to, 303);
}

/** Empty form fields are "not given". */
export const given = (v: string | null | undefined): string | undefined => (v === null || v === undefined || v.trim() === '' ? undefined : v.trim());

/** Runs a service call; a 400 (the user's input) becomes a message to show instead of an error page. */
export async function attempt<T>(fn: () => Promise<T>): Promise<{ ok: true; value: T } | { ok: false; error: string }> {
  try {
    return { ok: true, value: await fn() };
  } catch (err) {
    if (err instanceof HttpError && (err.status === 400 || err.status === 409)) return { ok: false, error: err.message };
    throw err;
  }
}

/** Where to go back to after a post: only this plugin's own pages. */
export const backTo = (base: string, back: string | null, fallback: string) =>
  back && back.startsWith(`${base}/`) && !back.startsWith('//') ? back : fallback;
