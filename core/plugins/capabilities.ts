// The kernel side of every plugin capability, for one call (one plugin, one household, one user).
// Both the in-process host and the sandbox's RPC server build a port here and call it, so each
// permission check (secret names, net hosts, own queues, own event names, declared services) is
// written once. Every method takes and returns plain data; the household comes from `call`, which
// the kernel built, never from the plugin.
import type { Sql } from 'postgres';
import type { Database } from '../db/database.ts';
import type { Keys } from '../keys.ts';
import type { Logger } from '../log.ts';
import type { CallInfo, CapabilityPort, EnqueueOptions, Manifest } from '../../plugin-sdk/types.ts';
import { createDbCapability } from './cap-db.ts';
import { guardedFetch } from './cap-fetch.ts';
import { PermissionDenied } from './errors.ts';
import { jobQueue, pluginSchema } from './naming.ts';
import { writeProgress } from '../jobs/progress.ts';
import { deleteSecret, readSecret, writeSecret } from './secret-store.ts';
import { readSettings } from './settings-store.ts';
import { readInstanceSettings } from './instance-settings-store.ts';

/** What capabilities need from the kernel and the plugin host (registries of jobs, events, services). */
export type CapabilityKernel = {
  db: Pick<Database, 'app' | 'bindingKey' | 'withHousehold'>;
  keys: Pick<Keys, 'encryption'>;
  log: Logger;
  /** Instance flag MFF_PLUGIN_FETCH_ALLOW_PRIVATE: lets ctx.fetch reach loopback/private addresses (tests, LAN fakes). */
  allowPrivateNetwork: boolean;
  /** Test instances only (plugin-sdk/testing.ts): where ctx.fetch really connects for a declared URL. */
  fetchRewrite?: (url: URL) => URL | null;
  /** Whether `job` is one of `pluginId`'s declared jobs. */
  hasJob(pluginId: string, job: string): boolean;
  enqueue(pluginId: string, job: string, call: CallInfo, data: unknown, opts: EnqueueOptions): Promise<string | null>;
  /** Delivers an event to every enabled subscriber, for the call's household. */
  emit(pluginId: string, name: string, payload: unknown, call: CallInfo): Promise<void>;
  /** Whether an enabled plugin provides `name` right now. */
  hasService(name: string): boolean;
  /** Runs `method` of service `name` in its provider, for the same household and user as `call`. */
  callService(name: string, method: string, args: unknown[], call: CallInfo): Promise<unknown>;
};

export type CapabilityOptions = {
  /** Connection pool for ctx.db: the sandbox gives each plugin its own role; in-process uses the app role. */
  pool?: Sql;
};

export type BoundPort = CapabilityPort & { /** Ends the call: rolls back transactions it left open. */ dispose(): Promise<void> };

const NAME = /^[A-Za-z0-9_.:-]{1,100}$/;
const MAX_PAYLOAD_BYTES = 256 * 1024;

function checkPayload(what: string, value: unknown): void {
  const size = Buffer.byteLength(JSON.stringify(value ?? null));
  if (size > MAX_PAYLOAD_BYTES) throw new PermissionDenied(`${what} is ${size} bytes; the limit is ${MAX_PAYLOAD_BYTES}`);
}

/** Services a plugin may call: those it requires and those it lists as optional. */
export const allowedServices = (m: Manifest) => new Set([...(m.requires ?? []), ...(m.permissions?.services ?? [])]);

export function createCapabilities(k: CapabilityKernel, manifest: Manifest, call: CallInfo, opts: CapabilityOptions = {}): BoundPort {
  const id = manifest.id;
  if (call.plugin.id !== id) throw new Error(`call for plugin ${call.plugin.id} given to ${id}'s capabilities`);
  const householdId = call.household.id;
  const userId = call.user?.id ?? null;
  const log = k.log.child({ plugin: id, householdId, ...(call.requestId ? { requestId: call.requestId } : {}) });
  const db = createDbCapability({ pool: opts.pool ?? k.db.app, bindingKey: k.db.bindingKey, schema: pluginSchema(id), householdId, userId });
  const kernelTx = <T>(fn: Parameters<Database['withHousehold']>[1]) => k.db.withHousehold({ householdId, userId }, fn) as Promise<T>;

  const secretName = (name: string) => {
    if (typeof name !== 'string' || !(manifest.permissions?.secrets ?? []).includes(name)) {
      throw new PermissionDenied(`plugin ${id} may not use secret '${String(name)}': not in its manifest's permissions.secrets`);
    }
    return name;
  };
  const services = allowedServices(manifest);
  const serviceName = (name: string) => {
    if (!services.has(name)) throw new PermissionDenied(`plugin ${id} may not use service '${name}': not in its manifest's requires or permissions.services`);
    return name;
  };

  return {
    db: {
      query: (stmt, txId) => db.query(stmt, txId),
      batch: (stmts) => db.batch(stmts),
      begin: () => db.begin(),
      commit: (txId) => db.commit(txId),
      rollback: (txId) => db.rollback(txId),
    },

    fetch: (req) =>
      guardedFetch(req, { pluginId: id, hosts: manifest.permissions?.net ?? [], allowPrivate: k.allowPrivateNetwork, rewrite: k.fetchRewrite }),

    secrets: {
      get: async (name) => {
        secretName(name);
        return kernelTx((tx) => readSecret(tx, [k.keys.encryption], householdId, id, name));
      },
      set: async (name, value) => {
        secretName(name);
        if (typeof value !== 'string' || value.length > 64 * 1024) throw new PermissionDenied('a secret is a string of at most 64 KiB');
        await kernelTx((tx) => writeSecret(tx, k.keys.encryption, householdId, id, name, value));
      },
      delete: async (name) => {
        secretName(name);
        await kernelTx((tx) => deleteSecret(tx, householdId, id, name));
      },
    },

    settings: {
      get: () => kernelTx((tx) => readSettings(tx, householdId, id, manifest.settings)),
    },

    // The plugin's own instance-wide settings (its id is the key): the same for every household.
    instanceSettings: {
      get: () => readInstanceSettings(k.db.app, [k.keys.encryption], id, manifest.instanceSettings),
    },

    jobs: {
      enqueue: async (job, data, o) => {
        if (typeof job !== 'string' || !k.hasJob(id, job)) throw new PermissionDenied(`plugin ${id} has no job '${String(job)}' (a plugin enqueues only its own jobs)`);
        checkPayload(`job ${job}'s data`, data);
        return k.enqueue(id, job, call, data, o ?? {});
      },
      // Only while running one of this plugin's own jobs (a service it provides to another plugin's
      // job gets that job's call, whose queue is not its own).
      progress: async (p) => {
        const job = call.job;
        if (!job || !job.queue.startsWith(jobQueue(id, ''))) throw new PermissionDenied(`plugin ${id} reports progress only from its own jobs`);
        const done = Number(p?.done);
        const total = p?.total == null ? null : Number(p.total);
        if (!Number.isFinite(done) || done < 0 || (total !== null && (!Number.isFinite(total) || total < 0))) {
          throw new PermissionDenied('progress is { done, total?, message? } with numbers >= 0');
        }
        const message = p?.message == null ? null : String(p.message);
        await kernelTx((tx) => writeProgress(tx, { householdId, jobId: job.id, queue: job.queue }, { done, total, message }));
      },
    },

    events: {
      emit: async (name, payload) => {
        if (typeof name !== 'string' || !name.startsWith(`${id}.`) || !NAME.test(name)) {
          throw new PermissionDenied(`plugin ${id} may only emit events named '${id}.<name>', not '${String(name)}'`);
        }
        checkPayload(`event ${name}'s payload`, payload);
        await k.emit(id, name, payload, call);
      },
    },

    services: {
      call: async (name, method, args) => {
        serviceName(name);
        if (typeof method !== 'string' || !/^[A-Za-z_$][\w$]*$/.test(method)) throw new PermissionDenied(`'${String(method)}' is not a service method name`);
        if (!k.hasService(name)) throw new Error(`service '${name}' is not provided by any enabled plugin`);
        return k.callService(name, method, Array.isArray(args) ? args : [], call);
      },
      has: async (name) => k.hasService(serviceName(name)),
    },

    log: async (level, msg, fields) => {
      const fn = log[level] ?? log.info;
      fn(String(msg).slice(0, 2000), fields && typeof fields === 'object' ? fields : undefined);
    },

    dispose: () => db.dispose(),
  };
}
