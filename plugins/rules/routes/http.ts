// Small helpers the rules pages share: form bodies, htmx detection, answers.
import type { Context } from 'hono';
import type { PluginEnv } from '../../../plugin-sdk/index.ts';

export async function readForm(req: Request): Promise<URLSearchParams> {
  const form = new URLSearchParams(await req.text());
  form.delete('_csrf');
  return form;
}

export const isHtmx = (req: Request) => req.headers.get('hx-request') === 'true';

/** A full page (the kernel wraps it in its layout) with a title. */
export const page = (c: Context<PluginEnv>, html: string, title: string, status = 200) =>
  c.html(html, status as 200, { 'x-mff-title': title });

/**
 * After a successful post: a plain form follows a 303 redirect; htmx is told to navigate
 * (HX-Redirect), since the fragment it asked for is gone.
 */
export function done(c: Context<PluginEnv>, to: string) {
  if (isHtmx(c.req.raw)) return c.body(null, 200, { 'hx-redirect': to });
  return c.redirect(to, 303);
}

/**
 * Form errors: a plain post gets 422 with the form; htmx gets 200, because htmx does not swap
 * error responses by default and the corrected form is exactly what should replace the old one.
 */
export const invalidStatus = (req: Request) => (isHtmx(req) ? 200 : 422);
