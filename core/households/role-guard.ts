// Viewers read; they never change a household. Every unsafe request (any method but GET, HEAD,
// OPTIONS) from a viewer of the selected household is refused here, before any kernel or plugin
// route runs, so a plugin cannot forget the check. The few exceptions concern the user themself,
// not the household: their session, their tokens, which household they look at, joining, leaving.
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../http/env.ts';
import { forbidden } from '../http/problem.ts';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const ID = '[0-9A-Fa-f-]{36}';

/** Unsafe routes a viewer may still call. Anchored and exact: no wildcard can reach another route. */
export const SELF_SERVICE: RegExp[] = [
  // Signing in and out, token exchange and refresh (core/auth/pages.ts, api.ts).
  /^\/(login|logout|signup)$/,
  /^\/api\/v1\/auth\/(token|refresh)$/,
  // The user's own personal access tokens (core/auth/token-pages.ts, api.ts).
  /^\/settings\/tokens(\/[\w-]+\/revoke)?$/,
  /^\/api\/v1\/tokens(\/[\w-]+)?$/,
  // Which household they look at; creating their own; joining and leaving one.
  /^\/households\/switch$/,
  /^\/households$/,
  /^\/api\/v1\/households$/,
  /^\/invites\/accept$/,
  /^\/api\/v1\/invites\/accept$/,
  /^\/settings\/household\/leave$/,
  // The kernel's household API names its household in the path and checks the caller's role in
  // *that* household itself (service.ts asMember + requireOwner), which may differ from the
  // selected one. Removing your own membership (leaving) is allowed there for every role.
  new RegExp(`^/api/v1/households/${ID}(/members(/${ID})?|/invites(/${ID})?)?$`),
];

export function isSelfService(path: string): boolean {
  return SELF_SERVICE.some((re) => re.test(path));
}

/**
 * `api`: the API routes, for the unsafe ones a plugin declares open to viewers (role 'viewer': a dry
 * run that writes nothing). Declared, never assumed: a plugin cannot let a viewer in by forgetting.
 */
export function roleGuard(api: { viewerMayCall(method: string, path: string): boolean }): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const auth = c.get('auth');
    if (auth?.role === 'viewer' && !SAFE_METHODS.has(c.req.method) && !isSelfService(c.req.path) && !api.viewerMayCall(c.req.method, c.req.path)) {
      throw forbidden('You can view this household but not change it: your role is viewer. Ask an owner for the member role.');
    }
    await next();
  };
}
