// PLACEHOLDER (households land next).
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../http/env.ts';
export function roleGuard(): MiddlewareHandler<AppEnv> {
  return async (_c, next) => { await next(); };
}
