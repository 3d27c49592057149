// Cursor pagination for the short lists (accounts, categories): a household has tens of them, so
// the service returns them all in order and the API pages over that order. The cursor is the id of
// the last item served, so an object added or removed meanwhile does not shift a page.
import { z } from 'zod';
import { HttpError } from '../service/errors.ts';

export const PageQuery = {
  limit: z.coerce.number().int().min(1).max(500).default(100),
  cursor: z.string().max(200).optional(),
};

export function pageOf<T extends { id: string }>(all: T[], limit: number, cursor?: string): { items: T[]; nextCursor: string | null } {
  let start = 0;
  if (cursor) {
    const id = Buffer.from(cursor, 'base64url').toString('utf8');
    const at = all.findIndex((x) => x.id === id);
    if (at < 0) throw new HttpError(400, 'cursor is not valid (pass back nextCursor unchanged)');
    start = at + 1;
  }
  const items = all.slice(start, start + limit);
  const more = start + limit < all.length;
  return { items, nextCursor: more ? Buffer.from(items.at(-1)!.id).toString('base64url') : null };
}
