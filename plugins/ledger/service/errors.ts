// Errors the ledger service throws; `status` is the HTTP status the API layer should answer with.
export class LedgerError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.name = 'LedgerError';
    this.status = status;
  }
}

export const notFound = (what: string) => new LedgerError(404, `${what} not found`);
export const conflict = (message: string) => new LedgerError(409, message);
export const invalid = (message: string) => new LedgerError(422, message);

/** Turns a foreign-key violation (an id that is not this household's) into a 404. */
export function foreignKeyAsNotFound(what: string) {
  return (err: unknown): never => {
    if ((err as { code?: string }).code === '23503') throw notFound(what);
    throw err;
  };
}
