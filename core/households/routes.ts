// PLACEHOLDER (households land next).
import type { Hono } from 'hono';
import type { Kernel } from '../kernel.ts';
import type { AppEnv } from '../http/env.ts';
export function registerHouseholdRoutes(app: Hono<AppEnv>, k: Kernel): void {
  app.get('/', (c) => k.views.page(c, 'home', {}, { title: 'Home' }));
}
