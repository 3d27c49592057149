// Plugins' public routes (definePlugin({ publicRoutes })): /hooks/<plugin>/<household id>/...,
// for outside services' webhooks. Mounted before sign-in and the CSRF check, so no session,
// cookie or token is involved: the request reaches the plugin without credentials, its raw body
// intact (signatures cover the exact bytes), with a context bound to the household the URL names
// and no user. The plugin must verify each request (the sender's signature) before acting.
import type { Context, Hono } from 'hono';
import type { Kernel } from '../kernel.ts';
import type { AppEnv } from '../http/env.ts';
import { notFound } from '../http/problem.ts';
import { callInfo, householdInfo } from './call.ts';
import { publicRouteDeclared } from './permissions.ts';
import { pluginProblem } from './problems.ts';

export const PUBLIC_PREFIX = '/hooks';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
// Never handed to a plugin: credentials, and what describes the connection rather than the request.
const WITHHELD = new Set(['cookie', 'authorization', 'proxy-authorization', 'host', 'connection', 'content-length', 'transfer-encoding', 'keep-alive', 'upgrade', 'te', 'trailer', 'x-csrf-token']);
// Headers a public answer may not set on the kernel's origin.
const DROPPED = ['set-cookie', 'content-security-policy', 'strict-transport-security', 'access-control-allow-origin', 'access-control-allow-credentials', 'x-mff-scripts', 'x-mff-csp'];

/** The public URL path of a plugin's public route for a household. */
export const publicPath = (pluginId: string, householdId: string, path = '/') =>
  `${PUBLIC_PREFIX}/${pluginId}/${householdId}${path.startsWith('/') ? path : `/${path}`}`;

export function mountPublicRoutes(app: Hono<AppEnv>, k: Kernel): void {
  const handle = async (c: Context<AppEnv>) => {
    const p = k.plugins.get(c.req.param('plugin') ?? '');
    if (!p || p.status !== 'active' || !p.runtime?.shape.publicRoutes) throw notFound('There is nothing at this address.');
    const householdId = (c.req.param('household') ?? '').toLowerCase();
    if (!UUID.test(householdId)) throw notFound('There is nothing at this address.');
    let household;
    try {
      household = await householdInfo(k.db, householdId, null);
    } catch {
      throw notFound('There is nothing at this address.');
    }
    const url = new URL(c.req.url);
    const rest = url.pathname.slice(`${PUBLIC_PREFIX}/${p.id}/${c.req.param('household')}`.length) || '/';
    // Only the paths the admin approved (manifest permissions.publicRoutes) answer.
    if (!publicRouteDeclared(p.manifest.permissions?.publicRoutes, rest)) throw notFound('There is nothing at this address.');
    const headers = new Headers();
    for (const [name, value] of c.req.raw.headers) if (!WITHHELD.has(name.toLowerCase())) headers.set(name, value);
    const body = c.req.method === 'GET' || c.req.method === 'HEAD' ? undefined : await c.req.arrayBuffer();
    const req = new Request(new URL(`/_public${rest}${url.search}`, 'http://plugin.invalid'), { method: c.req.method, headers, body });
    let res: Response;
    try {
      res = await p.runtime.fetch(req, callInfo(p.manifest, household, null, null, c.get('requestId')));
    } catch (err) {
      throw pluginProblem(err);
    }
    const out = new Headers(res.headers);
    for (const h of DROPPED) out.delete(h);
    return new Response(res.body, { status: res.status, statusText: res.statusText, headers: out });
  };
  app.all(`${PUBLIC_PREFIX}/:plugin/:household`, handle);
  app.all(`${PUBLIC_PREFIX}/:plugin/:household/*`, handle);
}
