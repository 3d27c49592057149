// Errors from plugin code, as the kernel answers them. Matched by name (not class) so errors that
// crossed the sandbox boundary are answered the same way.
import { STATUS_CODES } from 'node:http';
import { Problem } from '../http/problem.ts';

export function pluginProblem(err: unknown): unknown {
  const e = err as { name?: string; status?: unknown; message?: string };
  if (e?.name === 'HttpError' && typeof e.status === 'number' && e.status >= 400 && e.status <= 599) {
    return new Problem(e.status, STATUS_CODES[e.status] ?? 'Error', e.message);
  }
  return err;
}
