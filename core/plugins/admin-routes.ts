// /admin/plugins: the instance admin sees every listed plugin, what it asks to do, and approves,
// enables or disables it. Approval covers exactly the permissions shown: if the manifest changed
// in between (an upgrade), nothing is approved and the page shows the new request.
import type { Context, Hono } from 'hono';
import type { Kernel } from '../kernel.ts';
import type { AppEnv } from '../http/env.ts';
import { badRequest, conflict, forbidden, notFound } from '../http/problem.ts';
import { PluginLoadError } from './errors.ts';
import type { HostedPlugin } from './host.ts';
import { hasInstanceSettings } from './instance-settings-store.ts';
import { describePermissions, widening, type Permissions } from './permissions.ts';

function admin(c: Context<AppEnv>) {
  const auth = c.get('auth');
  if (!auth) return null;
  if (!auth.user.isAdmin) throw forbidden('Only the instance admin manages plugins.');
  return auth;
}

const view = (p: HostedPlugin) => ({
  id: p.id,
  name: p.manifest.name ?? p.id,
  version: p.manifest.version,
  description: p.manifest.description,
  mode: p.mode,
  status: p.status,
  reason: p.reason,
  approvedVia: p.row.approvedVia,
  approvedVersion: p.row.approvedVersion,
  requested: describePermissions(p.requested, p.id),
  requestedJson: JSON.stringify(p.requested),
  newItems: widening(p.requested, p.row.approved),
  enabled: p.row.enabled,
  canApprove: p.status === 'needs-approval',
  canEnable: p.status === 'disabled',
  canDisable: p.row.enabled && p.status !== 'needs-approval',
  hasInstanceSettings: hasInstanceSettings(p),
});

export function registerPluginAdminRoutes(app: Hono<AppEnv>, k: Kernel): void {
  const page = (c: Context<AppEnv>, status = 200, error?: string) =>
    k.views.page(c, 'plugins/admin', { plugins: k.plugins.list().map(view), error }, { title: 'Plugins', status });
  const back = (c: Context<AppEnv>) => (c.req.header('hx-request') === 'true' ? page(c) : c.redirect('/admin/plugins', 303));
  const plugin = (c: Context<AppEnv>) => {
    const p = k.plugins.get(c.req.param('id') ?? '');
    if (!p) throw notFound('No plugin with this id is listed in mff.config.ts.');
    return p;
  };

  app.get('/admin/plugins', async (c) => {
    if (!admin(c)) return c.redirect('/login?next=/admin/plugins', 303);
    return page(c);
  });

  app.post('/admin/plugins/:id/approve', async (c) => {
    const auth = admin(c);
    if (!auth) return c.redirect('/login', 303);
    const p = plugin(c);
    const form = await c.req.parseBody();
    let shown: Permissions;
    try {
      shown = JSON.parse(String(form.permissions ?? ''));
    } catch {
      throw badRequest('the form did not say which permissions were shown');
    }
    try {
      await k.plugins.approve(p.id, auth.user.id, shown);
    } catch (err) {
      if (err instanceof PluginLoadError) return page(c, 409, err.message);
      throw err;
    }
    return back(c);
  });

  app.post('/admin/plugins/:id/enable', async (c) => {
    if (!admin(c)) return c.redirect('/login', 303);
    const p = plugin(c);
    try {
      await k.plugins.enable(p.id);
    } catch (err) {
      if (err instanceof PluginLoadError) throw conflict(err.message);
      throw err;
    }
    return back(c);
  });

  app.post('/admin/plugins/:id/disable', async (c) => {
    if (!admin(c)) return c.redirect('/login', 303);
    await k.plugins.disable(plugin(c).id);
    return back(c);
  });
}
