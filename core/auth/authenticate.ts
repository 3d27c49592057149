// PLACEHOLDER (auth lands next): anonymous for everyone.
import type { MiddlewareHandler } from 'hono';
import type { Kernel } from '../kernel.ts';
import type { AppEnv } from '../http/env.ts';
export function authenticate(_k: Kernel): MiddlewareHandler<AppEnv> {
  return async (_c, next) => { await next(); };
}
