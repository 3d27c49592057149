// How a statement that cannot be read is answered: 422 with the parser's message, which names the
// line (and OFX element) at fault. Nothing is stored or written when this is thrown.
import { HttpError } from '../../../plugin-sdk/index.ts';
import { StatementError } from '../parsers/index.ts';

export const unprocessable = (message: string) => new HttpError(422, message);

export function statementProblem(err: unknown): never {
  if (err instanceof StatementError) {
    const where = err.element ? ` (element ${err.element})` : '';
    throw unprocessable(`This file cannot be imported: ${err.message}${where}`);
  }
  throw err;
}

export const gone = () => new HttpError(410, 'The uploaded file is no longer kept (it expired or the import finished). Upload it again.');
