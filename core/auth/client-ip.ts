// The caller's IP for rate limiting: the socket's peer address. X-Forwarded-For is not trusted,
// because any client can send it; behind a reverse proxy all clients share the proxy's address.
import type { Context } from 'hono';

type NodeBindings = { incoming?: { socket?: { remoteAddress?: string } } };

export function clientIp(c: Context): string {
  const addr = (c.env as NodeBindings | undefined)?.incoming?.socket?.remoteAddress;
  if (!addr) return 'unknown';
  return addr.startsWith('::ffff:') ? addr.slice(7) : addr; // IPv4-mapped IPv6 → IPv4
}
