// Errors of the sandbox, each with the HTTP status the kernel answers with.
import { HttpError } from '../../../plugin-sdk/errors.ts';
import { PermissionDenied } from '../errors.ts';
import type { WireError } from './host/protocol.ts';

/** The plugin is restarting (it crashed, spun, or exceeded a limit) or too busy: try again shortly. */
export class PluginUnavailable extends Error {
  override name = 'PluginUnavailable';
  readonly status = 503;
}

/** A call took longer than its deadline. */
export class PluginTimeout extends Error {
  override name = 'PluginTimeout';
  readonly status = 504;
}

/** The plugin answered something the kernel refuses to pass on (malformed, or a fragment that breaks the rules). */
export class PluginResponseRefused extends Error {
  override name = 'PluginResponseRefused';
  readonly status = 502;
}

/** An error thrown in the plugin, rebuilt on the kernel side with its name and status. */
export function fromWireError(w: unknown): Error {
  const e = (w && typeof w === 'object' ? w : {}) as Partial<WireError>;
  const message = typeof e.message === 'string' ? e.message.slice(0, 2000) : 'plugin error';
  const name = typeof e.name === 'string' ? e.name.slice(0, 100) : 'Error';
  const status = typeof e.status === 'number' && e.status >= 400 && e.status <= 599 ? e.status : undefined;
  if (name === 'HttpError' && status) return new HttpError(status, message);
  const err = name === 'PermissionDenied' ? new PermissionDenied(message) : new Error(message);
  if (name !== 'PermissionDenied') err.name = name;
  if (status) (err as Error & { status?: number }).status = status;
  return err;
}

export function toWireError(err: unknown): WireError {
  const e = err as { name?: unknown; message?: unknown; status?: unknown };
  return {
    name: typeof e?.name === 'string' ? e.name : 'Error',
    message: typeof e?.message === 'string' ? e.message : String(err),
    ...(typeof e?.status === 'number' ? { status: e.status } : {}),
  };
}
