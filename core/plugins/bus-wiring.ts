// Plugin jobs, schedules and events on the kernel's job bus. Each plugin gets its own queues
// (plugin.<id>.<job>), so a plugin can only ever enqueue its own work; the household of every job
// is the one of the call that enqueued it (or, for schedules, each household in turn).
import { randomUUID } from 'node:crypto';
import type { Kernel } from '../kernel.ts';
import type { CallInfo, EnqueueOptions, PluginEvent, PluginShape } from '../../plugin-sdk/types.ts';
import type { JobContext, QueueOptions } from '../jobs/types.ts';
import { callInfo, householdInfo } from './call.ts';
import { eventQueue, jobQueue, scheduleQueue } from './naming.ts';
import type { HostedPlugin } from './host.ts';

export type PluginBus = {
  /** Declares the plugin's queues (jobs, schedules, event deliveries). Handlers refuse to run while it is not active. */
  declare(p: HostedPlugin): Promise<void>;
  schedule(p: HostedPlugin): Promise<void>;
  unschedule(p: HostedPlugin): Promise<void>;
  enqueue(pluginId: string, job: string, call: CallInfo, data: unknown, opts: EnqueueOptions): Promise<string | null>;
  emit(pluginId: string, name: string, payload: unknown, call: CallInfo): Promise<void>;
  /** Enqueues a schedule's job for one household now (admins' "run now", tests). */
  runSchedule(pluginId: string, schedule: string, householdId: string): Promise<string | null>;
  jobCall(p: HostedPlugin, householdId: string, userId: string | null): Promise<CallInfo>;
};

type Deps = { plugins: Map<string, HostedPlugin>; isActive(id: string): boolean };

/**
 * A job's declared retry policy as queue options. The shape may come from a sandboxed plugin, so
 * numbers are bounded here; backoff stays the bus's default (on) unless the plugin turns it off.
 */
export function retryOptions(j: PluginShape['jobs'][string]): QueueOptions {
  const seconds = (v: unknown, max: number) => Math.max(0, Math.min(Math.floor(Number(v)) || 0, max));
  return {
    ...(j.retryLimit !== undefined ? { retryLimit: seconds(j.retryLimit, 100) } : {}),
    ...(j.retryDelaySeconds !== undefined ? { retryDelay: seconds(j.retryDelaySeconds, 86_400) } : {}),
    ...(typeof j.retryBackoff === 'boolean' ? { retryBackoff: j.retryBackoff } : {}),
    ...(j.retryDelayMaxSeconds !== undefined ? { retryDelayMax: Math.max(1, seconds(j.retryDelayMaxSeconds, 7 * 86_400)) } : {}),
    ...(j.expireSeconds !== undefined ? { expireInSeconds: Math.max(1, seconds(j.expireSeconds, 86_400)) } : {}),
  };
}

/** What a plugin's job handler learns about its run (CallInfo.job). */
const jobInfo = (jc: JobContext) => ({ id: jc.jobId, queue: jc.queue, attempt: jc.attempt, lastAttempt: jc.retriesLeft === 0 });

class PluginNotRunning extends Error {
  override name = 'PluginNotRunning';
}

export function createPluginBus(k: Kernel, deps: Deps): PluginBus {
  async function jobCall(p: HostedPlugin, householdId: string, userId: string | null): Promise<CallInfo> {
    const household = await householdInfo(k.db, householdId, userId);
    let user = null;
    if (userId) {
      const [u] = await k.db.app`select id, name, email from kernel.users where id = ${userId}`;
      if (u) user = { id: u.id as string, name: u.name as string, email: u.email as string };
    }
    return callInfo(p.manifest, household, user, null);
  }

  const running = (p: HostedPlugin) => {
    // Thrown, not skipped: the job stays in the queue's retry path instead of silently vanishing.
    if (!deps.isActive(p.id) || !p.runtime) throw new PluginNotRunning(`plugin ${p.id} is not running (${p.status})`);
    return p.runtime;
  };

  return {
    jobCall,

    async declare(p) {
      const shape = p.runtime!.shape;
      for (const [name, j] of Object.entries(shape.jobs)) {
        await k.jobs.declare(jobQueue(p.id, name), async (jc) => {
          const rt = running(p);
          await rt.job(name, jc.data, { ...(await jobCall(p, jc.householdId, jc.userId)), requestId: jc.jobId, job: jobInfo(jc) });
        }, retryOptions(j));
      }
      for (const [name, s] of Object.entries(shape.schedules)) {
        await k.jobs.declare(scheduleQueue(p.id, name), async (jc) => {
          const rt = running(p);
          await rt.job(s.job, jc.data ?? null, { ...(await jobCall(p, jc.householdId, null)), requestId: jc.jobId, job: jobInfo(jc) });
        });
      }
      if (shape.events.length) {
        await k.jobs.declare(eventQueue(p.id), async (jc) => {
          const rt = running(p);
          const { event } = jc.data as { event: PluginEvent };
          await rt.event(event, { ...(await jobCall(p, jc.householdId, jc.userId)), requestId: jc.jobId });
        });
      }
    },

    async schedule(p) {
      for (const [name, s] of Object.entries(p.runtime?.shape.schedules ?? {})) {
        await k.jobs.schedule(scheduleQueue(p.id, name), s.cron, (s.data ?? undefined) as object | undefined);
      }
    },

    async unschedule(p) {
      for (const name of Object.keys(p.runtime?.shape.schedules ?? {})) await k.jobs.unschedule(scheduleQueue(p.id, name));
    },

    enqueue: (pluginId, job, call, data, o) =>
      k.jobs.enqueue(jobQueue(pluginId, job), { householdId: call.household.id, userId: call.user?.id ?? null, data }, {
        ...(o.delaySeconds !== undefined ? { startAfter: Math.max(0, Math.floor(o.delaySeconds)) } : {}),
        ...(o.singletonKey !== undefined ? { singletonKey: String(o.singletonKey) } : {}),
        ...(o.retryLimit !== undefined ? { retryLimit: Math.max(0, Math.floor(o.retryLimit)) } : {}),
      }),

    async emit(pluginId, name, payload, call) {
      const event: PluginEvent = { id: randomUUID(), name, payload, source: pluginId, at: new Date().toISOString() };
      for (const p of deps.plugins.values()) {
        if (!deps.isActive(p.id) || !p.runtime?.shape.events.includes(name)) continue;
        await k.jobs.enqueue(eventQueue(p.id), { householdId: call.household.id, userId: call.user?.id ?? null, data: { event } });
      }
    },

    async runSchedule(pluginId, schedule, householdId) {
      const p = deps.plugins.get(pluginId);
      const s = p?.runtime?.shape.schedules[schedule];
      if (!p || !s) throw new Error(`plugin ${pluginId} has no schedule ${schedule}`);
      return k.jobs.enqueue(scheduleQueue(pluginId, schedule), { householdId, userId: null, data: s.data ?? null });
    },
  };
}
