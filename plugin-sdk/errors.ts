// Errors a plugin throws on purpose. The kernel answers an HttpError with its status (as
// problem+json for the API, an error page for browsers); it matches by name, so it works across
// the sandbox boundary too.
export type FieldError = { field: string; message: string };

export class HttpError extends Error {
  override name = 'HttpError';
  readonly status: number;
  /** Invalid input, field by field (the message lists them too, as "field: message; ..."). */
  readonly errors?: FieldError[];
  constructor(status: number, message: string, errors?: FieldError[]) {
    super(message);
    this.status = status;
    if (errors) this.errors = errors;
  }
}

export const notFound = (what = 'not found') => new HttpError(404, what);
export const badRequest = (why: string) => new HttpError(400, why);
export const forbidden = (why: string) => new HttpError(403, why);
export const conflict = (why: string) => new HttpError(409, why);
