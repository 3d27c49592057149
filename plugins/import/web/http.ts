// Small helpers the import pages share.
import type { Context } from 'hono';
import type { PluginEnv } from '../../../plugin-sdk/index.ts';

export const isHtmx = (req: Request) => req.headers.get('hx-request') === 'true';

/** A full page (the kernel wraps it in its layout) with a title. */
export const page = (c: Context<PluginEnv>, html: string, title: string, status = 200) =>
  c.html(html, status as 200, { 'x-mff-title': title });

/** After a successful post: a plain form follows a 303; htmx is told to navigate. */
export function redirect(c: Context<PluginEnv>, to: string) {
  if (isHtmx(c.req.raw)) return c.body(null, 200, { 'hx-redirect': to });
  return c.redirect(to, 303);
}

/** Form fields (urlencoded or multipart) as strings; repeated names kept as lists by `all`. */
export async function readForm(c: Context<PluginEnv>): Promise<{ get(name: string): string; all(name: string): string[]; file(name: string): File | null }> {
  const body = await c.req.parseBody({ all: true });
  const values = (name: string): unknown[] => {
    const v = body[name];
    return v === undefined ? [] : Array.isArray(v) ? v : [v];
  };
  return {
    get: (name) => {
      const v = values(name)[0];
      return typeof v === 'string' ? v : '';
    },
    all: (name) => values(name).filter((v): v is string => typeof v === 'string'),
    file: (name) => {
      const v = values(name)[0];
      return v instanceof File ? v : null;
    },
  };
}

export type Form = Awaited<ReturnType<typeof readForm>>;
