// Errors the ledger service throws: the SDK's HttpError, so the kernel answers with its status
// (problem+json for the API) in either mode.
import type { z } from 'zod';
import { HttpError } from '../../../plugin-sdk/errors.ts';

export { HttpError };
export const notFound = (what: string) => new HttpError(404, `${what} not found`);
export const conflict = (message: string) => new HttpError(409, message);
export const invalid = (message: string) => new HttpError(400, message);

/** Validates service input; a failure is the caller's mistake (400), with every issue named. */
export function parse<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const r = schema.safeParse(input);
  if (r.success) return r.data;
  const issues = r.error.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`);
  throw invalid(issues.slice(0, 10).join('; ') + (issues.length > 10 ? `; and ${issues.length - 10} more` : ''));
}

/** Turns a foreign-key violation (an id that is not this household's) into a 404. */
export function foreignKeyAsNotFound(what: string) {
  return (err: unknown): never => {
    if ((err as { code?: string }).code === '23503') throw notFound(what);
    throw err;
  };
}

/** Turns the tags CHECK (at most 50 per transaction, 0001) into a 400: adding tags went over it. */
export function tooManyTagsAsInvalid(field: string) {
  return (err: unknown): never => {
    const e = err as { code?: string; constraint_name?: string; message?: string };
    if (e.code === '23514' && /tags/.test(e.constraint_name ?? e.message ?? '')) {
      throw invalid(`${field}: a transaction can have at most 50 tags, and adding these would give some more`);
    }
    throw err;
  };
}
