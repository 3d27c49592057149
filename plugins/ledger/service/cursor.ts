// Keyset cursors: an opaque token holding the (date, id) of the last row served. Rows added or
// removed meanwhile never shift a page, unlike OFFSET.
import { z } from 'zod';
import { Id, IsoDate } from '../schemas/common.ts';
import { invalid } from './errors.ts';

export type Position = { date: string; id: string };
const Token = z.tuple([IsoDate, Id]);

export const encodeCursor = (p: Position): string => Buffer.from(JSON.stringify([p.date, p.id])).toString('base64url');

export function decodeCursor(cursor: string): Position {
  try {
    const [date, id] = Token.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
    return { date, id };
  } catch {
    throw invalid('cursor is not valid (pass back nextCursor unchanged)');
  }
}
