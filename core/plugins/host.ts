// The plugin host: reads every plugin listed in mff.config.ts, validates manifests before any plugin
// code runs, orders plugins by the services they require, records them in kernel.plugins, starts
// their runtimes and keeps each one's status. Only an active plugin (approved, enabled, its required
// services running) has its migrations applied, its routes answered, its jobs and schedules run.
import { join, relative } from 'node:path';
import type { Sql } from 'postgres';
import type { Kernel } from '../kernel.ts';
import { bindTransaction, type Tx } from '../db/household-binding.ts';
import { auditIsolation } from '../db/rls-audit.ts';
import { deleteHouseholdRows } from '../households/delete.ts';
import { migrate, type MigrationSource } from '../db/migrate.ts';
import { OWNER_ROLE, isSuperuser } from '../db/roles.ts';
import { adoptSchema, ensurePluginRoles, grantAppRole, grantDeclared, migrateAsOwner, pluginPool, pluginRoles } from './db-role.ts';
import type { Manifest, Mode, PluginRuntime } from '../../plugin-sdk/types.ts';
import { createCapabilities, type CapabilityKernel } from './capabilities.ts';
import { PluginLoadError } from './errors.ts';
import { loadManifest } from './manifest.ts';
import { extendingIds, pagePrefix, pluginSchema } from './naming.ts';
import { requestedPermissions, widening, type Permissions } from './permissions.ts';
import { approvePlugin, isApproved, readPlugin, readPlugins, setEnabled, syncPlugin, type RegistryRow } from './registry.ts';
import { isFirstParty, resolvePluginDir } from './resolve.ts';
import { startRuntime, stopSandbox, type PluginLimits } from './runtimes.ts';
import { orderByServices } from './service-graph.ts';
import { createPluginBus, type PluginBus } from './bus-wiring.ts';
import { householdInfo } from './call.ts';

/** The kernel's own event: a plugin cannot emit it (plugin events are prefixed with the plugin's id). */
export const HOUSEHOLD_CREATED = 'kernel.household.created';

const REGISTRY_REFRESH_MS = 5_000;

export type PluginStatus = 'active' | 'disabled' | 'needs-approval' | 'blocked' | 'failed';

export type HostedPlugin = {
  id: string;
  mode: Mode;
  /** Sandboxed only: mff.config.ts's limits for this plugin (defaults where unset). */
  limits?: PluginLimits;
  dir: string;
  entry: string;
  manifest: Manifest;
  /** Ships in <root>/plugins and runs in-process: approved by config (see registry.ts). */
  autoApproved: boolean;
  requested: Permissions;
  row: RegistryRow;
  runtime: PluginRuntime | null;
  /** Why it cannot run at all (code failed to load, migration failed). */
  error: string | null;
  status: PluginStatus;
  /** Why it is not active, for the admin page. */
  reason: string | null;
  migrated: boolean;
  /** Sandboxed plugins: connections as the plugin's own database role. */
  pool?: Sql;
};

export type PluginHost = {
  /** In start order (providers before the plugins that require them). */
  list(): HostedPlugin[];
  get(id: string): HostedPlugin | undefined;
  isActive(id: string): boolean;
  /** Approves what the plugin's manifest asks for now (`shown` must equal it) and enables it. */
  approve(id: string, userId: string | null, shown: Permissions): Promise<HostedPlugin>;
  enable(id: string): Promise<HostedPlugin>;
  /** Stops serving the plugin; its schema, data, settings and secrets are kept. */
  disable(id: string): Promise<HostedPlugin>;
  capabilities: CapabilityKernel;
  bus: PluginBus;
  /** Lets each active plugin release outside resources before a household is deleted. */
  householdDeleting(householdId: string): Promise<void>;
  /** Delivers the event `kernel.household.created` to plugins that subscribe (e.g. the ledger seeds categories). */
  householdCreated(householdId: string, userId: string): Promise<void>;
  stop(): Promise<void>;
};

function readManifests(k: Kernel) {
  const seen = new Set<string>();
  return k.config.plugins.map((e) => {
    if (seen.has(e.id)) throw new PluginLoadError(e.id, `plugin ${e.id} is listed twice in mff.config.ts`);
    seen.add(e.id);
    const dir = resolvePluginDir(e.id, e.from, k.config.rootDir);
    const manifest = loadManifest(dir, { id: e.id, mode: e.mode, root: k.config.rootDir });
    const entry = join(dir, manifest.main ?? 'index.ts');
    if (relative(dir, entry).startsWith('..')) throw new PluginLoadError(e.id, `plugin ${e.id}: main must be inside the plugin directory`);
    return { id: e.id, mode: e.mode, limits: e.limits, dir, entry, manifest, autoApproved: e.mode === 'in-process' && isFirstParty(dir, k.config.rootDir) };
  });
}

export async function startPluginHost(k: Kernel): Promise<PluginHost> {
  // Start-up errors: configuration the admin must fix (bad manifest, missing service provider).
  const listed = readManifests(k);
  const { order, providers } = orderByServices(
    listed.map((p) => ({ id: p.id, requires: p.manifest.requires ?? [], provides: p.manifest.provides ?? [] })),
  );
  const plugins = new Map<string, HostedPlugin>();
  const firstSeen = new Set<string>();
  for (const id of order) {
    const p = listed.find((x) => x.id === id)!;
    const requested = requestedPermissions(p.manifest);
    const { row, firstSeen: first } = await syncPlugin(k.db.app, { id, version: p.manifest.version, mode: p.mode, requested, autoApprove: p.autoApproved });
    plugins.set(id, { ...p, requested, row, runtime: null, error: null, status: 'disabled', reason: null, migrated: false });
    if (first) firstSeen.add(id);
  }

  const isActive = (id: string) => plugins.get(id)?.status === 'active';
  const log = k.log.child({ component: 'plugins' });

  const capabilities: CapabilityKernel = {
    db: k.db,
    keys: k.keys,
    log: k.log,
    allowPrivateNetwork: k.config.MFF_PLUGIN_FETCH_ALLOW_PRIVATE ?? false,
    hasJob: (pid, job) => Object.hasOwn(plugins.get(pid)?.runtime?.shape.jobs ?? {}, job),
    enqueue: (pid, job, call, data, o) => bus.enqueue(pid, job, call, data, o),
    emit: (pid, name, payload, call) => bus.emit(pid, name, payload, call),
    hasService: (name) => isActive(providers.get(name) ?? ''),
    callService: async (name, method, args, call) => {
      const provider = plugins.get(providers.get(name) ?? '');
      if (!provider?.runtime || provider.status !== 'active') throw new Error(`service '${name}' is not running`);
      return provider.runtime.service(name, method, args, {
        ...call, caller: { id: call.plugin.id }, plugin: { id: provider.id, version: provider.manifest.version, base: pagePrefix(provider.id) },
      });
    },
  };
  const bus: PluginBus = createPluginBus(k, { plugins, isActive });

  // Runtime errors: a plugin whose code fails to load is marked failed; the others run.
  for (const p of plugins.values()) {
    try {
      p.runtime = await startRuntime(p.mode, {
        manifest: p.manifest,
        dir: p.dir,
        entry: p.entry,
        port: (call) => createCapabilities(capabilities, p.manifest, call, { pool: p.pool }),
        log: (level, msg, fields) => log[level](msg, { plugin: p.id, ...fields }),
      }, k, p.limits, extendingIds(p.id, [...plugins.keys()]));
      checkShape(p);
      await bus.declare(p);
    } catch (err) {
      p.error = (err as Error).message;
      log.error('plugin failed to load', { plugin: p.id, err });
    }
  }

  const database = new URL(k.db.adminUrl).pathname.slice(1);

  // Sandboxed plugins' migrations run as their own owner role and their ctx.db uses their own
  // runtime role (db-role.ts); in-process plugins' run as the kernel's owner, like first-party ones.
  async function migratePlugin(p: HostedPlugin): Promise<void> {
    const schema = pluginSchema(p.id);
    const source: MigrationSource = { scope: p.id, dir: join(p.dir, 'migrations'), schema };
    if (p.mode === 'sandboxed') {
      if (!(await isSuperuser(k.db.admin))) throw new Error('sandboxed plugins need DATABASE_URL to be a superuser connection, to create their database roles');
      const roles = pluginRoles(schema, database, k.keys.tokenHash);
      await ensurePluginRoles(k.db.admin, schema, database, roles);
      await migrateAsOwner(k.db.admin, source, roles, log);
      await grantDeclared(k.db.admin, schema, p.manifest, roles, log);
      p.pool ??= pluginPool(k.db.appUrl, roles);
    } else {
      const [existing] = await k.db.admin`select pg_get_userbyid(nspowner) as owner from pg_namespace where nspname = ${schema}`;
      if (existing && existing.owner !== OWNER_ROLE && (await isSuperuser(k.db.admin))) await adoptSchema(k.db.admin, schema, OWNER_ROLE, { routines: true });
      await migrate(k.db.admin, [source]);
      await grantAppRole(k.db.admin, schema);
    }
    await auditIsolation(k.db.admin);
    p.migrated = true;
  }

  function nextStatus(p: HostedPlugin): [PluginStatus, string | null] {
    if (p.error || !p.runtime) return ['failed', p.error ?? 'not loaded'];
    if (!isApproved(p.row)) {
      const wider = widening(p.requested, p.row.approved);
      return ['needs-approval', p.row.approved ? `version ${p.manifest.version} asks for more: ${wider.join(', ')}` : 'not approved yet'];
    }
    if (!p.row.enabled) return ['disabled', 'disabled by the admin'];
    const missing = (p.manifest.requires ?? []).filter((s) => !isActive(providers.get(s)!));
    if (missing.length) return ['blocked', `required services not running: ${missing.map((s) => `${s} (plugin ${providers.get(s)})`).join(', ')}`];
    return ['active', null];
  }

  /** Recomputes every status in dependency order and starts or stops what changed; one pass at a time. */
  let pass: Promise<void> = Promise.resolve();
  function reconcile(hooks: { enabled?: string; disabled?: string } = {}): Promise<void> {
    pass = pass.catch(() => {}).then(async () => {
      for (const id of order) await reconcileOne(id, hooks.enabled === id, hooks.disabled === id);
    });
    return pass;
  }

  async function reconcileOne(id: string, enabledNow = false, disabledNow = false, starting = false): Promise<void> {
    const p = plugins.get(id)!;
    const was = p.status === 'active';
    let [status, reason] = nextStatus(p);
    if (status === 'active' && !p.migrated) {
      try {
        await migratePlugin(p);
      } catch (err) {
        p.error = `migrations failed: ${(err as Error).message}`;
        log.error('plugin migrations failed', { plugin: id, err });
        [status, reason] = ['failed', p.error];
      }
    }
    p.status = status;
    p.reason = reason;
    // At start, an inactive plugin's schedules may linger in the job store from an earlier run.
    if (status === 'active' && !was) await activate(p, enabledNow);
    else if (status !== 'active' && (was || disabledNow || starting)) await deactivate(p, was && disabledNow);
  }

  async function activate(p: HostedPlugin, runHook: boolean): Promise<void> {
    await bus.schedule(p);
    const nav = p.manifest.nav;
    if (nav && (p.manifest.slots ?? []).includes('nav')) {
      k.nav.push({ href: pagePrefix(p.id) + (nav.path ?? '/'), label: nav.label, order: nav.order });
    }
    if (runHook) await p.runtime!.hook('onEnable', { id: p.id, version: p.manifest.version, base: pagePrefix(p.id) }).catch((err) => log.error('onEnable failed', { plugin: p.id, err }));
    log.info('plugin active', { plugin: p.id, version: p.manifest.version, mode: p.mode });
  }

  async function deactivate(p: HostedPlugin, runHook: boolean): Promise<void> {
    await bus.unschedule(p).catch((err) => log.warn('unschedule failed', { plugin: p.id, err }));
    const prefix = pagePrefix(p.id);
    for (let i = k.nav.length - 1; i >= 0; i--) if (k.nav[i].href === prefix || k.nav[i].href.startsWith(prefix + '/')) k.nav.splice(i, 1);
    if (runHook && p.runtime) await p.runtime.hook('onDisable', { id: p.id, version: p.manifest.version, base: prefix }).catch((err) => log.error('onDisable failed', { plugin: p.id, err }));
    log.info('plugin not active', { plugin: p.id, status: p.status, reason: p.reason });
  }

  // onEnable runs when a plugin becomes enabled: by the admin, or by config at its first start.
  for (const id of order) await reconcileOne(id, firstSeen.has(id), false, true);

  // Other processes (web and worker roles) follow the admin's decisions made in one of them.
  let syncing = false;
  let epoch = 0; // bumped by every change made in this process
  const follow = setInterval(async () => {
    if (syncing) return;
    syncing = true;
    try {
      let changed = false;
      const seen = epoch;
      const rows = await readPlugins(k.db.app, order);
      if (seen !== epoch) return; // a change made here meanwhile is newer than what was read
      for (const row of rows) {
        const p = plugins.get(row.id)!;
        if (row.enabled !== p.row.enabled || JSON.stringify(row.approved) !== JSON.stringify(p.row.approved)) changed = true;
        p.row = row;
      }
      if (changed) await reconcile();
    } catch (err) {
      log.warn('plugin registry refresh failed', { err });
    } finally {
      syncing = false;
    }
  }, REGISTRY_REFRESH_MS);
  follow.unref();

  const must = (id: string) => {
    const p = plugins.get(id);
    if (!p) throw new PluginLoadError(id, `no plugin ${id} is listed in mff.config.ts`);
    return p;
  };
  const refresh = async (p: HostedPlugin) => {
    const row = await readPlugin(k.db.app, p.id);
    if (row) p.row = row;
  };

  return {
    list: () => order.map((id) => plugins.get(id)!),
    get: (id) => plugins.get(id),
    isActive,
    capabilities,
    bus,
    async approve(id, userId, shown) {
      const p = must(id);
      epoch++;
      const row = await approvePlugin(k.db.app, id, userId, shown);
      epoch++;
      if (!row) throw new PluginLoadError(id, `plugin ${id}'s permissions changed since they were shown; review them again`);
      p.row = row;
      await reconcile({ enabled: id });
      return p;
    },
    async enable(id) {
      const p = must(id);
      epoch++;
      await refresh(p);
      if (!isApproved(p.row)) throw new PluginLoadError(id, `plugin ${id} needs the admin's approval of its permissions first`);
      p.row = (await setEnabled(k.db.app, id, true)) ?? p.row;
      epoch++;
      await reconcile({ enabled: id });
      return p;
    },
    async disable(id) {
      const p = must(id);
      epoch++;
      p.row = (await setEnabled(k.db.app, id, false)) ?? p.row;
      epoch++;
      await reconcile({ disabled: id });
      return p;
    },
    async householdDeleting(householdId) {
      for (const id of [...order].reverse()) {
        const p = plugins.get(id)!;
        if (p.status !== 'active' || !p.runtime?.shape.hooks.includes('onHouseholdDeleted')) continue;
        try {
          const call = await bus.jobCall(p, householdId, null);
          await p.runtime.householdDeleted(call);
        } catch (err) {
          log.error('onHouseholdDeleted failed', { plugin: id, householdId, err });
        }
      }
      // A sandboxed plugin's rows go as its own runtime role (the app role has no rights on its
      // tables): its triggers are its code and run with its rights, never the app role's. A plugin
      // whose delete fails keeps its rows (out of every household's sight once the household is
      // gone) rather than stopping the deletion the owner asked for.
      for (const p of plugins.values()) {
        if (p.mode !== 'sandboxed' || !p.pool) continue;
        try {
          await p.pool.begin(async (tx) => {
            await bindTransaction(tx as unknown as Tx, k.db.bindingKey, { householdId, userId: null });
            await deleteHouseholdRows(tx as unknown as Tx, householdId, pluginSchema(p.id));
          });
        } catch (err) {
          log.error('deleting a sandboxed plugin\'s rows failed; they stay', { plugin: p.id, householdId, err });
        }
      }
    },
    async householdCreated(householdId, userId) {
      const household = await householdInfo(k.db, householdId, userId);
      const call = { plugin: { id: 'kernel', version: '0', base: '/' }, household, user: null, role: null };
      await bus.emit('kernel', HOUSEHOLD_CREATED, { householdId }, call);
    },
    async stop() {
      clearInterval(follow);
      for (const p of plugins.values()) await p.runtime?.stop().catch(() => {});
      await stopSandbox(k).catch((err) => log.warn('sandbox stop failed', { err }));
      for (const p of plugins.values()) await p.pool?.end({ timeout: 5 }).catch(() => {});
    },
  };
}

/** The definition must fill what the manifest declares, and nothing it does not. */
function checkShape(p: HostedPlugin): void {
  const shape = p.runtime!.shape;
  const declared = new Set(p.manifest.provides ?? []);
  const given = new Set(shape.services);
  for (const s of declared) if (!given.has(s)) throw new PluginLoadError(p.id, `plugin ${p.id}: manifest provides '${s}' but definePlugin has no services['${s}']`);
  for (const s of given) if (!declared.has(s)) throw new PluginLoadError(p.id, `plugin ${p.id}: services['${s}'] is not in the manifest's provides`);
  // Routes anyone may call are part of what the admin approves: the manifest must name them.
  if (shape.publicRoutes && !p.manifest.permissions?.publicRoutes?.length) {
    throw new PluginLoadError(p.id, `plugin ${p.id}: definePlugin has publicRoutes but the manifest's permissions.publicRoutes names no path (e.g. ["/webhook"])`);
  }
  const slots = new Set(p.manifest.slots ?? []);
  for (const slot of Object.keys(shape.fragments)) {
    if (!slots.has(slot as never)) throw new PluginLoadError(p.id, `plugin ${p.id}: fragment for slot '${slot}' is not in the manifest's slots`);
  }
}
