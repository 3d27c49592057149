// Errors a plugin throws on purpose. The kernel answers an HttpError with its status (as
// problem+json for the API, an error page for browsers); it matches by name, so it works across
// the sandbox boundary too.
export class HttpError extends Error {
  override name = 'HttpError';
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

export const notFound = (what = 'not found') => new HttpError(404, what);
export const badRequest = (why: string) => new HttpError(400, why);
export const forbidden = (why: string) => new HttpError(403, why);
export const conflict = (why: string) => new HttpError(409, why);
