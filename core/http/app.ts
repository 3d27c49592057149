// The kernel's HTTP surface: tiny middlewares in a fixed order, then kernel and plugin routes.
import { Hono, type Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { authenticate } from '../auth/authenticate.ts';
import { csrfProtection } from '../auth/csrf.ts';
import { registerAuthRoutes } from '../auth/routes.ts';
import { registerHouseholdRoutes } from '../households/routes.ts';
import { mountPlugins } from '../plugins/mount.ts';
import { requestBodyLimit } from '../plugins/body-limits.ts';
import { mountPublicRoutes } from '../plugins/public-routes.ts';
import { roleGuard } from '../households/role-guard.ts';
import type { Kernel } from '../kernel.ts';
import { refuseNulInRequests } from './no-nul.ts';
import { registerApiDocs } from './api-docs.ts';
import type { AppEnv } from './env.ts';
import { registerHealth } from './health.ts';
import { Problem, notFound, problemResponse } from './problem.ts';
import { requestLog } from './request-log.ts';
import { securityHeaders } from './security-headers.ts';
import { mountStatic } from './static.ts';
import { API_PREFIX } from './api.ts';

const wantsHtml = (path: string, accept: string | undefined) => !path.startsWith('/api/') && /text\/html/.test(accept ?? '');

export function createApp(k: Kernel, extend?: (app: Hono<AppEnv>) => void): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.onError((err, c) => {
    let problem: Problem;
    if (err instanceof Problem) problem = err;
    else if (err instanceof HTTPException) problem = new Problem(err.status, err.message || 'Error');
    else {
      c.get('log')?.error('unhandled error', { err });
      problem = new Problem(500, 'Internal Server Error', 'Something went wrong; the request id identifies it in the log.');
    }
    if (wantsHtml(c.req.path, c.req.header('accept'))) {
      return k.views.page(c, 'error', { problem, requestId: c.get('requestId') }, { title: problem.title, status: problem.status });
    }
    return problemResponse(c, problem);
  });
  app.notFound((c) => {
    if (wantsHtml(c.req.path, c.req.header('accept'))) {
      return k.views.page(c, 'error', { problem: notFound('There is nothing at this address.'), requestId: c.get('requestId') }, { title: 'Not found', status: 404 });
    }
    return noRoute(c, k);
  });

  app.use(requestLog(k.log));
  app.use(securityHeaders({ https: k.config.MFF_PUBLIC_URL?.startsWith('https:') ?? false }));
  // http.maxBodyBytes, or a plugin route's declared larger limit (manifest bodyLimits, e.g. uploads).
  app.use(requestBodyLimit(k));
  mountStatic(app, k.assets);
  registerHealth(app, k);
  // Plugins' public routes (webhooks): before sign-in and CSRF, they carry no credentials.
  mountPublicRoutes(app, k);

  app.use(authenticate(k));
  app.use(csrfProtection(k));
  app.use(refuseNulInRequests());
  app.use(roleGuard(k.api));

  registerAuthRoutes(app, k);
  registerHouseholdRoutes(app, k);
  mountPlugins(app, k);
  extend?.(app);
  registerApiDocs(app, k);
  k.api.mount(app);
  app.all(`${API_PREFIX}/*`, (c) => noRoute(c, k));
  return app;
}

/** No route answers this method at this path: 405 with Allow when the path exists (RFC 9110), else 404. */
function noRoute(c: Context<AppEnv>, k: Kernel): Response {
  const allow = k.api.methodsAt(c.req.path);
  if (allow.length) {
    return problemResponse(c, new Problem(405, 'Method Not Allowed', `${c.req.method} is not allowed here; use ${allow.join(', ')}`, { headers: { allow: allow.join(', ') } }));
  }
  return problemResponse(c, notFound(`no route for ${c.req.method} ${c.req.path}`));
}
