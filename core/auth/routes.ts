// Auth's routes: sign-up / log-in / log-out pages, the access-token settings page, and the JSON API.
import type { Hono } from 'hono';
import type { AppEnv } from '../http/env.ts';
import type { Kernel } from '../kernel.ts';
import { registerAuthApi } from './api.ts';
import { registerAuthPages } from './pages.ts';
import { registerTokenPages } from './token-pages.ts';

export function registerAuthRoutes(app: Hono<AppEnv>, k: Kernel): void {
  registerAuthPages(app, k);
  registerTokenPages(app, k);
  registerAuthApi(k);
}
