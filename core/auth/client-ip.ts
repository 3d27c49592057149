// The caller's IP for rate limiting. By default the socket's peer address: X-Forwarded-For is
// not believed, because any client can send it. Behind a reverse proxy every client would then
// share the proxy's address, so when the peer is one of MFF_TRUSTED_PROXIES the client is the
// right-most X-Forwarded-For hop that is not itself trusted: proxies append, so entries left of
// that one are whatever the client sent and are ignored.
import { isIP } from 'node:net';
import type { IncomingMessage } from 'node:http';
import type { Context } from 'hono';
import proxyaddr from 'proxy-addr';
import { trustFunction } from './trusted-proxies.ts';

type NodeBindings = { incoming?: IncomingMessage };

export function clientIp(c: Context, trustedProxies: readonly string[] = []): string {
  const incoming = (c.env as NodeBindings | undefined)?.incoming;
  const forwardedFor = incoming?.headers['x-forwarded-for'];
  return resolveClientIp(incoming?.socket?.remoteAddress, typeof forwardedFor === 'string' ? forwardedFor : undefined, trustedProxies);
}

/** The client address, given the socket's peer and the X-Forwarded-For header (if any). */
export function resolveClientIp(peer: string | undefined, forwardedFor: string | undefined, trustedProxies: readonly string[]): string {
  if (!peer) return 'unknown';
  if (!trustedProxies.length) return normalise(peer);
  // [peer, trusted hops..., first untrusted hop], read right to left from the peer. Compiled per
  // call: microseconds, on a path that then runs scrypt.
  const req = { socket: { remoteAddress: peer }, headers: { 'x-forwarded-for': forwardedFor } };
  const hops = proxyaddr.all(req as unknown as IncomingMessage, trustFunction(trustedProxies));
  // A hop that is not an IP (garbage, "1.2.3.4:80") is not a client: take the nearest trusted
  // proxy instead, so a malformed header never yields a key of the sender's choosing.
  const client = hops.findLast((a) => isIP(a) !== 0) ?? peer;
  return normalise(client);
}

// IPv4-mapped IPv6 (a dual-stack socket's view of an IPv4 client) → IPv4, so one client has one key.
function normalise(addr: string): string {
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(addr);
  return mapped ? mapped[1] : addr;
}
