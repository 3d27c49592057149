// /transactions/sync cursors. Opaque to clients; inside: the item, the log position the current
// update started from, and, mid-pagination, the log head when it started and how many updates were
// already returned. A head that moved between pages means the history changed during pagination.

export type Cursor = { itemId: string; from: number; page?: { head: number; offset: number } };

const PREFIX = 'fk1';

export function encodeCursor(c: Cursor): string {
  const parts = [PREFIX, c.itemId, c.from, ...(c.page ? [c.page.head, c.page.offset] : [])];
  return Buffer.from(parts.join(':')).toString('base64url');
}

/** The decoded cursor, or null when it is not one the fake issued for this item. */
export function decodeCursor(raw: string, itemId: string): Cursor | null {
  if (!/^[A-Za-z0-9_-]{1,256}$/.test(raw)) return null;
  const parts = Buffer.from(raw, 'base64url').toString('utf8').split(':');
  if (parts[0] !== PREFIX || parts[1] !== itemId || (parts.length !== 3 && parts.length !== 5)) return null;
  const nums = parts.slice(2).map((p) => (/^\d{1,12}$/.test(p) ? Number(p) : NaN));
  if (nums.some((n) => Number.isNaN(n))) return null;
  const [from, head, offset] = nums as [number, number?, number?];
  if (head === undefined || offset === undefined) return { itemId, from };
  if (head < from || offset <= 0) return null;
  return { itemId, from, page: { head, offset } };
}
