// A definition checked and described as plain data (PluginShape): the kernel mounts routes, declares
// queues and documents the API from this, whichever mode the plugin runs in.
import { z } from 'zod';
import type { PluginDefinition, PluginShape, SlotName } from './types.ts';

export const SLOTS: readonly SlotName[] = ['home.card', 'account.tab', 'settings.section', 'nav'];
const JOB_NAME = /^[a-z][a-z0-9_-]{0,62}$/;
const API_PATH = /^(\/[A-Za-z0-9_.~-]+|\/:[A-Za-z_]\w*)+$|^\/$/;
const METHODS = ['get', 'post', 'put', 'patch', 'delete'];
const CRON = /^(\S+\s+){4}\S+$/;

export class DefinitionError extends Error {
  override name = 'DefinitionError';
}

function jsonSchema(s: z.ZodType | undefined, io: 'input' | 'output'): object | undefined {
  if (!s) return undefined;
  const { $schema: _, ...rest } = z.toJSONSchema(s, { io, unrepresentable: 'any' }) as Record<string, unknown>;
  return rest;
}

export function describePlugin(def: PluginDefinition): PluginShape {
  const fail = (msg: string): never => {
    throw new DefinitionError(msg);
  };
  if (def.routes && typeof (def.routes as { fetch?: unknown }).fetch !== 'function') fail('routes must be a Hono app (use router() from plugin-sdk)');
  if (def.publicRoutes && typeof (def.publicRoutes as { fetch?: unknown }).fetch !== 'function') fail('publicRoutes must be a Hono app (use router() from plugin-sdk)');
  const seen = new Set<string>();
  const api = (def.api ?? []).map((r, i) => {
    const at = `api[${i}] (${r.method?.toUpperCase()} ${r.path})`;
    if (!METHODS.includes(r.method)) fail(`${at}: method must be one of ${METHODS.join(', ')}`);
    if (typeof r.path !== 'string' || !API_PATH.test(r.path)) fail(`${at}: path must start with / and use :name parameters`);
    if (!r.summary) fail(`${at}: summary is required (it documents the route in OpenAPI)`);
    if (typeof r.handler !== 'function') fail(`${at}: handler must be a function`);
    const key = `${r.method} ${r.path.replace(/:\w+/g, ':')}`;
    if (seen.has(key)) fail(`${at}: declared twice`);
    seen.add(key);
    return {
      method: r.method, path: r.path, summary: r.summary, scope: r.scope, role: r.role, status: r.status, idempotent: r.idempotent === true,
      schemas: { params: jsonSchema(r.params, 'input'), query: jsonSchema(r.query, 'input'), body: jsonSchema(r.body, 'input'), response: jsonSchema(r.response, 'output') },
    };
  });
  const jobs: PluginShape['jobs'] = {};
  for (const [name, j] of Object.entries(def.jobs ?? {})) {
    if (!JOB_NAME.test(name)) fail(`jobs.${name}: job names are lower-case letters, digits, _ and -`);
    if (typeof j?.handler !== 'function') fail(`jobs.${name}: handler must be a function`);
    if (j.retryBackoff !== undefined && typeof j.retryBackoff !== 'boolean') fail(`jobs.${name}: retryBackoff must be true or false`);
    jobs[name] = { retryLimit: j.retryLimit, retryDelaySeconds: j.retryDelaySeconds, retryBackoff: j.retryBackoff, retryDelayMaxSeconds: j.retryDelayMaxSeconds, expireSeconds: j.expireSeconds };
  }
  const schedules: PluginShape['schedules'] = {};
  for (const [name, s] of Object.entries(def.schedules ?? {})) {
    if (!JOB_NAME.test(name)) fail(`schedules.${name}: schedule names are lower-case letters, digits, _ and -`);
    if (!CRON.test(s?.cron ?? '')) fail(`schedules.${name}: cron must have five fields, e.g. "0 3 * * *"`);
    if (!jobs[s.job]) fail(`schedules.${name}: job '${s.job}' is not one of this plugin's jobs`);
    schedules[name] = { cron: s.cron, job: s.job, data: s.data };
  }
  for (const [name, h] of Object.entries(def.events ?? {})) {
    if (!/^[a-z][a-z0-9-]*\.[\w.:-]+$/.test(name)) fail(`events.${name}: subscribe to "<plugin>.<event>"`);
    if (typeof h !== 'function') fail(`events.${name}: handler must be a function`);
  }
  const fragments: PluginShape['fragments'] = {};
  for (const [slot, f] of Object.entries(def.fragments ?? {})) {
    if (!SLOTS.includes(slot as SlotName)) fail(`fragments.${slot}: unknown slot (known: ${SLOTS.join(', ')})`);
    if (typeof f?.render !== 'function' || !f.title) fail(`fragments.${slot}: needs a title and a render function`);
    fragments[slot as SlotName] = { title: f!.title, order: f!.order };
  }
  for (const [name, f] of Object.entries(def.services ?? {})) if (typeof f !== 'function') fail(`services.${name}: must be a factory function (ctx) => implementation`);
  const hooks = (['onEnable', 'onDisable', 'onHouseholdDeleted'] as const).filter((h) => typeof def[h] === 'function');
  return { routes: !!def.routes, publicRoutes: !!def.publicRoutes, api, jobs, schedules, events: Object.keys(def.events ?? {}), fragments, services: Object.keys(def.services ?? {}), hooks };
}
