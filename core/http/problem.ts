// Errors as RFC 9457 problem+json, each carrying the request id so a user report finds the log line.
import type { Context } from 'hono';
import { z } from 'zod';

export type FieldError = { field: string; message: string };

export class Problem extends Error {
  status: number;
  title: string;
  errors?: FieldError[];
  headers?: Record<string, string>;
  constructor(status: number, title: string, detail?: string, extra?: { errors?: FieldError[]; headers?: Record<string, string> }) {
    super(detail ?? title);
    this.status = status;
    this.title = title;
    this.errors = extra?.errors;
    this.headers = extra?.headers;
  }
}

export const notFound = (what = 'Not found') => new Problem(404, 'Not Found', what);
export const forbidden = (why: string) => new Problem(403, 'Forbidden', why);
export const badRequest = (why: string, errors?: FieldError[]) => new Problem(400, 'Bad Request', why, { errors });
export const conflict = (why: string) => new Problem(409, 'Conflict', why);
/** RFC 6750: a 401 names the scheme that would be accepted. */
export const unauthorized = (why = 'Authentication required') => new Problem(401, 'Unauthorized', why, { headers: { 'www-authenticate': 'Bearer realm="mff"' } });

export function fromZod(err: z.ZodError, where: string): Problem {
  const errors = err.issues.map((i) => ({
    field: [where, ...i.path.map(String)].join('.'),
    message: i.code === 'unrecognized_keys' ? `unknown field(s): ${i.keys.join(', ')}` : i.message,
  }));
  return badRequest(errors.map((e) => `${e.field}: ${e.message}`).join('; '), errors);
}

export function problemResponse(c: Context, p: Problem): Response {
  const body = {
    type: 'about:blank',
    title: p.title,
    status: p.status,
    detail: p.message,
    instance: c.req.path,
    requestId: c.get('requestId'),
    ...(p.errors ? { errors: p.errors } : {}),
  };
  return new Response(JSON.stringify(body), {
    status: p.status,
    headers: { 'content-type': 'application/problem+json', ...p.headers },
  });
}
