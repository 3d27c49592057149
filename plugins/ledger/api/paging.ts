// Cursor pagination for the short lists (accounts, categories): a household has tens of them, so
// the service returns them all in order and the API pages over that order. The cursor names the
// last item served (its id, and where it stood), so an object added or removed meanwhile does not
// shift a page; if that very item was deleted, the next page starts where it stood.
import { z } from 'zod';
import { HttpError } from '../service/errors.ts';

export const PageQuery = {
  limit: z.coerce.number().int().min(1).max(500).default(100),
  cursor: z.string().max(200).optional(),
};

const invalid = () => new HttpError(400, 'cursor is not valid (pass back nextCursor unchanged)');

function startAfter(all: { id: string }[], cursor: string): number {
  const m = /^(\d{1,6}):([0-9a-f-]{36})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!m) throw invalid();
  const at = all.findIndex((x) => x.id === m[2]);
  // Deleted since: the items after it moved up by one, so the next one now stands where it stood.
  return at >= 0 ? at + 1 : Math.min(Number(m[1]), all.length);
}

export function pageOf<T extends { id: string }>(all: T[], limit: number, cursor?: string): { items: T[]; nextCursor: string | null } {
  const start = cursor ? startAfter(all, cursor) : 0;
  const items = all.slice(start, start + limit);
  const more = start + limit < all.length;
  const last = start + items.length - 1;
  return { items, nextCursor: more ? Buffer.from(`${last}:${items.at(-1)!.id}`).toString('base64url') : null };
}
