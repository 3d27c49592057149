// Login throttling kept in PostgreSQL, so it holds across processes and restarts: at most
// MAX_PER_ACCOUNT failures per email and MAX_PER_IP per client address in a sliding window.
// Attempts refused by the limit are not recorded, so the lock lifts on time.
import type { Kernel } from '../kernel.ts';

export const WINDOW_MINUTES = 15;
export const MAX_PER_ACCOUNT = 5;
export const MAX_PER_IP = 20;

/** Seconds until a login for this email from this IP may be tried again, or 0 if it may now. */
export async function loginRetryAfter(k: Kernel, email: string, ip: string): Promise<number> {
  // The Nth most recent failure leaving the window is when the count drops below the limit N.
  const [row] = await k.db.app`
    select
      (select extract(epoch from at + make_interval(mins => ${WINDOW_MINUTES}) - now())
         from kernel.login_attempts
        where email = ${email} and not succeeded and at > now() - make_interval(mins => ${WINDOW_MINUTES})
        order by at desc offset ${MAX_PER_ACCOUNT - 1} limit 1) as by_email,
      (select extract(epoch from at + make_interval(mins => ${WINDOW_MINUTES}) - now())
         from kernel.login_attempts
        where ip = ${ip} and not succeeded and at > now() - make_interval(mins => ${WINDOW_MINUTES})
        order by at desc offset ${MAX_PER_IP - 1} limit 1) as by_ip`;
  const wait = Math.max(Number(row.by_email ?? 0), Number(row.by_ip ?? 0));
  return wait > 0 ? Math.ceil(wait) : 0;
}

export async function recordLoginAttempt(k: Kernel, email: string, ip: string, succeeded: boolean): Promise<void> {
  if (succeeded) {
    // A correct password clears the account's failures (the IP's other failures stay).
    await k.db.app`delete from kernel.login_attempts where email = ${email} and not succeeded`;
    return;
  }
  await k.db.app`insert into kernel.login_attempts (email, ip, succeeded) values (${email}, ${ip}, false)`;
  // Old rows are useless; trimming them here keeps the table small without a scheduled job.
  await k.db.app`delete from kernel.login_attempts where at < now() - interval '1 day'`;
}
