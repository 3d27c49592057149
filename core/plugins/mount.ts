// Everything plugins add to the kernel's HTTP surface (their API routes are in the ApiRegistry,
// see api-routes.ts): their pages and fragments, the admin's consent page, the settings forms.
import type { Hono } from 'hono';
import type { Kernel } from '../kernel.ts';
import type { AppEnv } from '../http/env.ts';
import { registerPluginAdminRoutes } from './admin-routes.ts';
import { registerInstanceSettingsRoutes } from './instance-settings-routes.ts';
import { mountPluginPages } from './page-routes.ts';
import { registerPluginSettingsRoutes } from './settings-routes.ts';

export function mountPlugins(app: Hono<AppEnv>, k: Kernel): void {
  registerPluginAdminRoutes(app, k);
  registerInstanceSettingsRoutes(app, k);
  registerPluginSettingsRoutes(app, k);
  mountPluginPages(app, k);
}
