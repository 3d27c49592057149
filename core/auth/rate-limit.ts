// Login throttling kept in PostgreSQL, so it holds across processes and restarts: at most
// MAX_PER_ACCOUNT failures per email and MAX_PER_IP per client address in a sliding window.
// Attempts refused by the limit are not recorded, so the lock lifts on time.
//
// An attempt is reserved (recorded as a failure) before the slow password check, in a transaction
// that holds the email's and the address's advisory locks while it counts and inserts, so a burst
// of parallel guesses cannot all pass a check that none of them is counted in yet. A correct
// password then clears the account's failures, its own reservation included.
import ipaddr from 'ipaddr.js';
import type { Sql, TransactionSql } from 'postgres';
import type { Kernel } from '../kernel.ts';

export const WINDOW_MINUTES = 15;
export const MAX_PER_ACCOUNT = 5;
export const MAX_PER_IP = 20;

// Advisory lock namespaces (the two-key form): one for emails, one for addresses, so an email and
// an address never share a lock. Every reservation takes the email's lock first, then the address's.
const EMAIL_LOCK = 0x6d666c65; // "mfle"
const IP_LOCK = 0x6d666c69; // "mfli"

type Db = Sql | TransactionSql;

/**
 * What the per-address limit counts as one client: an IPv4 address, or an IPv6 /64. One IPv6
 * subscriber or host usually holds a whole /64 and can pick any address in it, so counting single
 * IPv6 addresses would let it guess without limit. Anything else (e.g. 'unknown') is its own key.
 */
export function addressKey(ip: string): string {
  if (!ipaddr.isValid(ip)) return ip;
  const addr = ipaddr.process(ip); // an IPv4-mapped IPv6 address is its IPv4 address
  if (addr.kind() === 'ipv4') return addr.toString();
  const parts = (addr as ipaddr.IPv6).parts.slice(0, 4).map((p) => p.toString(16));
  return `${parts.join(':')}::/64`;
}

/** Seconds until a login for this email from this IP may be tried again, or 0 if it may now. */
export async function loginRetryAfter(db: Db, email: string, ip: string): Promise<number> {
  // The Nth most recent failure leaving the window is when the count drops below the limit N.
  // clock_timestamp(), not now(): inside a reservation the transaction may have started before the
  // lock was granted, and rows committed meanwhile must not look as if they were in the future.
  const [row] = await db`
    select
      (select extract(epoch from at + make_interval(mins => ${WINDOW_MINUTES}) - clock_timestamp())
         from kernel.login_attempts
        where email = ${email} and not succeeded and at > clock_timestamp() - make_interval(mins => ${WINDOW_MINUTES})
        order by at desc offset ${MAX_PER_ACCOUNT - 1} limit 1) as by_email,
      (select extract(epoch from at + make_interval(mins => ${WINDOW_MINUTES}) - clock_timestamp())
         from kernel.login_attempts
        where ip = ${ip} and not succeeded and at > clock_timestamp() - make_interval(mins => ${WINDOW_MINUTES})
        order by at desc offset ${MAX_PER_IP - 1} limit 1) as by_ip`;
  const wait = Math.max(Number(row.by_email ?? 0), Number(row.by_ip ?? 0));
  return wait > 0 ? Math.ceil(wait) : 0;
}

export type Reservation = { ok: true } | { ok: false; retryAfter: number };

/**
 * Counts this attempt against both limits before the password is checked: refuses it (with the
 * seconds to wait) if either limit is reached, otherwise records it as a failure. Call
 * settleLoginAttempt once the password has been checked.
 */
export async function reserveLoginAttempt(k: Kernel, email: string, clientIp: string): Promise<Reservation> {
  const ip = addressKey(clientIp);
  return (await k.db.app.begin(async (tx) => {
    // Separate statements: under READ COMMITTED the count below then sees every reservation
    // committed by whoever held these locks before us.
    await tx`select pg_advisory_xact_lock(${EMAIL_LOCK}::int, hashtext(${email}))`;
    await tx`select pg_advisory_xact_lock(${IP_LOCK}::int, hashtext(${ip}))`;
    const retryAfter = await loginRetryAfter(tx, email, ip);
    if (retryAfter > 0) return { ok: false, retryAfter };
    await tx`insert into kernel.login_attempts (email, ip, succeeded, at) values (${email}, ${ip}, false, clock_timestamp())`;
    return { ok: true };
  })) as Reservation;
}

/** After the password check: a success clears the account's failures (the reservation with them). */
export async function settleLoginAttempt(k: Kernel, email: string, succeeded: boolean): Promise<void> {
  if (succeeded) {
    // A correct password clears the account's failures (the IP's other failures stay).
    await k.db.app`delete from kernel.login_attempts where email = ${email} and not succeeded`;
    return;
  }
  // The failure was recorded by the reservation. Old rows are useless; trimming them here keeps
  // the table small without a scheduled job.
  await k.db.app`delete from kernel.login_attempts where at < now() - interval '1 day'`;
}
