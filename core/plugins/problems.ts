// Errors from plugin code, as the kernel answers them. Matched by name (not class) so errors that
// crossed the sandbox boundary are answered the same way.
import { STATUS_CODES } from 'node:http';
import { Problem } from '../http/problem.ts';

type FieldError = { field: string; message: string };

// Field errors travel from a sandbox as the message text ("body.amount: too small; params.id: ...").
function fieldErrors(message: string): FieldError[] | undefined {
  const parts = message.split('; ').map((p) => p.match(/^([\w.]+): (.+)$/s));
  if (!parts.length || parts.some((m) => !m)) return undefined;
  return parts.map((m) => ({ field: m![1], message: m![2] }));
}

export function pluginProblem(err: unknown): unknown {
  const e = err as { name?: string; status?: unknown; message?: string; errors?: FieldError[] };
  if (e?.name === 'HttpError' && typeof e.status === 'number' && e.status >= 400 && e.status <= 599) {
    const message = e.message ?? '';
    const errors = Array.isArray(e.errors) ? e.errors : e.status === 400 ? fieldErrors(message) : undefined;
    return new Problem(e.status, STATUS_CODES[e.status] ?? 'Error', message, errors ? { errors } : undefined);
  }
  return err;
}
