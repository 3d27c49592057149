// A plugin's pages and fragments under /p/<id>/, behind the kernel's authentication, CSRF check and
// role guard (they run before this, as for every kernel route). The request the plugin sees is
// stripped of the prefix and of credentials (cookies, Authorization, CSRF token): a plugin acts
// through its context, never as the user. A full-page HTML answer is wrapped in the kernel layout
// (pages, and 4xx answers such as a form re-shown with its errors).
import type { Context, Hono } from 'hono';
import type { Kernel } from '../kernel.ts';
import type { AppEnv } from '../http/env.ts';
import { Problem, forbidden, notFound, unauthorized } from '../http/problem.ts';
import { isFragmentRequest } from '../http/render.ts';
import { requestCall } from './call.ts';
import type { HostedPlugin } from './host.ts';
import { pagePrefix } from './naming.ts';
import { CSP_HEADER, SCRIPTS_HEADER, pageAssets } from './page-assets.ts';
import { pluginProblem } from './problems.ts';
import { contentSecurityPolicy } from '../http/security-headers.ts';
import { expandSlots, slotError } from './slots.ts';

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);
const FORWARDED = [
  'accept', 'accept-language', 'content-type', 'if-none-match', 'if-modified-since', 'user-agent',
  'hx-request', 'hx-boosted', 'hx-target', 'hx-trigger', 'hx-trigger-name', 'hx-current-url', 'hx-prompt', 'hx-history-restore-request',
];
// Headers a plugin's answer may not set on the kernel's origin.
const DROPPED = ['set-cookie', 'content-security-policy', 'strict-transport-security', 'access-control-allow-origin', 'access-control-allow-credentials', SCRIPTS_HEADER, CSP_HEADER];

async function toPluginRequest(c: Context<AppEnv>, p: HostedPlugin): Promise<Request> {
  const url = new URL(c.req.url);
  const rest = url.pathname.slice(pagePrefix(p.id).length) || '/';
  const headers = new Headers();
  for (const name of FORWARDED) {
    const v = c.req.header(name);
    if (v !== undefined) headers.set(name, v);
  }
  const body = SAFE.has(c.req.method) ? undefined : await c.req.arrayBuffer();
  return new Request(new URL(rest + url.search, 'http://plugin.invalid'), { method: c.req.method, headers, body });
}

function withoutKernelHeaders(res: Response): Response {
  const headers = new Headers(res.headers);
  for (const h of DROPPED) headers.delete(h);
  headers.append('vary', 'HX-Request');
  return new Response(res.body, { status: res.status, statusText: res.statusText, headers });
}

async function answer(c: Context<AppEnv>, k: Kernel, p: HostedPlugin, res: Response, isSlot: boolean): Promise<Response> {
  const html = /^text\/html/i.test(res.headers.get('content-type') ?? '');
  // An address the plugin has no route for (its router's bare "404 Not Found" text): the kernel's
  // own not-found page, as for any other address.
  if (res.status === 404 && !html && !isFragmentRequest(c)) {
    await res.body?.cancel();
    throw notFound('There is nothing at this address.');
  }
  // A page (GET 2xx), or a page answering a request with an error (4xx: a form re-shown with its
  // validation messages, any method): a browser without JavaScript shows it as a page, so it gets
  // the layout too. htmx requests get the fragment; redirects and non-HTML pass through.
  const shownAsPage = (c.req.method === 'GET' && res.status >= 200 && res.status < 300) || (res.status >= 400 && res.status < 500);
  const wrap = html && shownAsPage && !isFragmentRequest(c) && res.headers.get('x-mff-layout') !== 'none';
  if (!wrap) {
    // A page's htmx fragment may show other plugins' slots too; a slot's own fragment may not (no
    // fragment loading fragments loading fragments).
    if (!html || isSlot || res.status >= 300) return withoutKernelHeaders(res);
    const body = expandSlots(k, await res.text());
    const headers = new Headers(res.headers);
    headers.delete('content-length');
    return withoutKernelHeaders(new Response(body, { status: res.status, statusText: res.statusText, headers }));
  }
  const title = res.headers.get('x-mff-title') ?? p.manifest.name ?? p.id;
  // Scripts and CSP sources the page asks for (page-assets.ts), checked against its manifest.
  const assets = pageAssets(res.headers, p.manifest);
  if (assets.refused.length) c.get('log')?.warn('plugin page asked for assets outside its manifest', { plugin: p.id, refused: assets.refused });
  const page = await k.views.page(c, 'plugins/page', { html: expandSlots(k, await res.text()), plugin: p.id, scripts: assets.scripts }, { title, status: res.status });
  if (Object.keys(assets.csp).length) page.headers.set('content-security-policy', contentSecurityPolicy(c.get('nonce'), assets.csp));
  return page;
}

export function mountPluginPages(app: Hono<AppEnv>, k: Kernel): void {
  const handle = async (c: Context<AppEnv>) => {
    const p = k.plugins.get(c.req.param('plugin') ?? '');
    if (!p || p.status !== 'active' || !p.runtime) throw notFound('There is nothing at this address.');
    const auth = c.get('auth');
    if (!auth) {
      if (c.req.method === 'GET' && !isFragmentRequest(c)) return c.redirect(`/login?next=${encodeURIComponent(c.req.path)}`, 303);
      throw unauthorized();
    }
    if (!auth.householdId) {
      if (c.req.method === 'GET' && !isFragmentRequest(c)) return c.redirect('/', 303);
      throw new Problem(409, 'Conflict', 'Select or create a household first.');
    }
    if (!SAFE.has(c.req.method) && !auth.scopes.includes('write')) throw forbidden("this token lacks the 'write' scope");
    // Public routes answer only at their own mount (public-routes.ts), never with a user's call.
    if (c.req.path === `${pagePrefix(p.id)}/_public` || c.req.path.startsWith(`${pagePrefix(p.id)}/_public/`)) throw notFound('There is nothing at this address.');
    const isSlot = c.req.path.startsWith(`${pagePrefix(p.id)}/_slot/`);
    const call = (await requestCall(k.db, c, p.manifest))!;
    let res: Response;
    try {
      res = await p.runtime.fetch(await toPluginRequest(c, p), call);
    } catch (err) {
      if (isSlot) return slotError(c, k, p, err);
      throw pluginProblem(err);
    }
    if (isSlot && res.status >= 400) return slotError(c, k, p, new Error(`fragment answered ${res.status}`));
    return answer(c, k, p, res, isSlot);
  };
  app.all('/p/:plugin', handle);
  app.all('/p/:plugin/*', handle);
}
