// PLACEHOLDER (auth lands next).
import type { MiddlewareHandler } from 'hono';
import type { Kernel } from '../kernel.ts';
import type { AppEnv } from '../http/env.ts';
export function csrfProtection(_k: Kernel): MiddlewareHandler<AppEnv> {
  return async (c, next) => { c.set('csrfToken', ''); await next(); };
}
