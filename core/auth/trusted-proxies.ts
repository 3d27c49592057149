// MFF_TRUSTED_PROXIES: the reverse proxies whose X-Forwarded-For is believed. Comma-separated IPs,
// CIDR ranges and proxy-addr's names (loopback, linklocal, uniquelocal); unset or empty: none.
import { isIP } from 'node:net';
import proxyaddr from 'proxy-addr';
import { z } from 'zod';

const NAMES = ['loopback', 'linklocal', 'uniquelocal'];
const EXPECTED = `an IP address, a CIDR range (10.0.0.0/8) or one of ${NAMES.join(', ')}`;

// node:net's isIP first: ipaddr.js (under proxy-addr) also takes forms like "010.0.0.1" (octal,
// so 8.0.0.1) or "3232235777", which would silently trust an address nobody meant.
function entryProblem(entry: string): string | undefined {
  if (NAMES.includes(entry)) return undefined;
  const slash = entry.lastIndexOf('/');
  if (!isIP(slash === -1 ? entry : entry.slice(0, slash))) return `"${entry}" is not ${EXPECTED}`;
  try {
    proxyaddr.compile(entry);
  } catch {
    return `"${entry}" has a bad prefix length (1-32 for IPv4, 1-128 for IPv6)`;
  }
  return undefined;
}

/** The environment value: parsed into its entries, each checked, so a typo stops start-up. */
export const TrustedProxies = z
  .string()
  .transform((v) => v.split(',').map((s) => s.trim()).filter(Boolean))
  .superRefine((entries, ctx) => {
    for (const entry of entries) {
      const message = entryProblem(entry);
      if (message) ctx.addIssue({ code: 'custom', message });
    }
  });

export type TrustFn = (addr: string, hop: number) => boolean;

/** Whether an address is one of the trusted proxies; only strict IP notation is ever trusted. */
export function trustFunction(entries: readonly string[]): TrustFn {
  const trusted = proxyaddr.compile([...entries]);
  return (addr, hop) => isIP(addr) !== 0 && trusted(addr, hop);
}
