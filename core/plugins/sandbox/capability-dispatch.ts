// Capability RPCs from a sandboxed plugin, on the kernel side: the method name must be one of the
// CapabilityPort's, the arguments must have the right shapes, and the port is the one the kernel
// built for the call (its household and user come from the kernel, never from the plugin). The
// permission checks themselves are capabilities.ts's, shared with in-process plugins.
import type { CapabilityPort, EnqueueOptions, FetchRequest, Statement } from '../../../plugin-sdk/types.ts';
import { PermissionDenied } from '../errors.ts';

const MAX_SQL_CHARS = 256 * 1024;
const MAX_BATCH = 100;

class BadRequest extends PermissionDenied {}

const str = (v: unknown, what: string): string => {
  if (typeof v !== 'string') throw new BadRequest(`${what} must be a string`);
  return v;
};
const optStr = (v: unknown, what: string): string | undefined => (v === undefined || v === null ? undefined : str(v, what));
const arr = (v: unknown, what: string): unknown[] => {
  if (!Array.isArray(v)) throw new BadRequest(`${what} must be an array`);
  return v;
};

function statement(v: unknown): Statement {
  const s = v as Statement;
  if (!s || typeof s !== 'object' || typeof s.text !== 'string' || s.text.length > MAX_SQL_CHARS) {
    throw new BadRequest(`a statement is { text, params } with at most ${MAX_SQL_CHARS} characters`);
  }
  return { text: s.text, params: s.params === undefined ? [] : (arr(s.params, 'params') as Statement['params']) };
}

function fetchRequest(v: unknown): FetchRequest {
  const r = v as FetchRequest;
  if (!r || typeof r !== 'object') throw new BadRequest('fetch needs a request');
  const headers = r.headers === undefined ? [] : arr(r.headers, 'headers');
  if (!headers.every((h) => Array.isArray(h) && h.length === 2 && typeof h[0] === 'string' && typeof h[1] === 'string')) {
    throw new BadRequest('headers must be [name, value] pairs of strings');
  }
  if (r.body !== undefined && r.body !== null && typeof r.body !== 'string' && !(r.body instanceof Uint8Array)) throw new BadRequest('body must be a string or bytes');
  return { url: str(r.url, 'url'), method: optStr(r.method, 'method'), headers: headers as [string, string][], body: r.body ?? null };
}

function enqueueOptions(v: unknown): EnqueueOptions {
  if (v === undefined || v === null) return {};
  if (typeof v !== 'object') throw new BadRequest('options must be an object');
  const o = v as Record<string, unknown>;
  const out: EnqueueOptions = {};
  if (o.delaySeconds !== undefined) out.delaySeconds = Math.max(0, Math.min(Number(o.delaySeconds) || 0, 366 * 86400));
  if (o.singletonKey !== undefined) out.singletonKey = str(o.singletonKey, 'singletonKey').slice(0, 200);
  if (o.retryLimit !== undefined) out.retryLimit = Math.max(0, Math.min(Number(o.retryLimit) || 0, 100));
  return out;
}

type Method = (port: CapabilityPort, a: unknown[]) => Promise<unknown>;

const METHODS: Record<string, Method> = {
  'db.query': (p, a) => p.db.query(statement(a[0]), optStr(a[1], 'transaction id')),
  'db.batch': (p, a) => {
    const list = arr(a[0], 'statements');
    if (list.length > MAX_BATCH) throw new BadRequest(`a batch has at most ${MAX_BATCH} statements`);
    return p.db.batch(list.map(statement));
  },
  'db.begin': (p) => p.db.begin(),
  'db.commit': (p, a) => p.db.commit(str(a[0], 'transaction id')),
  'db.rollback': (p, a) => p.db.rollback(str(a[0], 'transaction id')),
  fetch: (p, a) => p.fetch(fetchRequest(a[0])),
  'secrets.get': (p, a) => p.secrets.get(str(a[0], 'secret name')),
  'secrets.set': (p, a) => p.secrets.set(str(a[0], 'secret name'), str(a[1], 'secret value')),
  'secrets.delete': (p, a) => p.secrets.delete(str(a[0], 'secret name')),
  'settings.get': (p) => p.settings.get(),
  'instanceSettings.get': (p) => p.instanceSettings.get(),
  'jobs.enqueue': (p, a) => p.jobs.enqueue(str(a[0], 'job name'), a[1] ?? null, enqueueOptions(a[2])),
  'jobs.progress': (p, a) => p.jobs.progress((a[0] ?? {}) as { done: number }),
  'events.emit': (p, a) => p.events.emit(str(a[0], 'event name'), a[1] ?? null),
  'services.call': (p, a) => p.services.call(str(a[0], 'service name'), str(a[1], 'method name'), arr(a[2] ?? [], 'arguments')),
  'services.has': (p, a) => p.services.has(str(a[0], 'service name')),
};

export function dispatchCapability(port: CapabilityPort, method: unknown, args: unknown): Promise<unknown> {
  const fn = typeof method === 'string' && Object.hasOwn(METHODS, method) ? METHODS[method] : undefined;
  if (!fn) return Promise.reject(new PermissionDenied(`unknown capability ${String(method)}`));
  try {
    return fn(port, Array.isArray(args) ? args : []);
  } catch (err) {
    return Promise.reject(err);
  }
}
