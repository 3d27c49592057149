// Checking a login, shared by the sign-in page and POST /api/v1/auth/token. Unknown email and wrong
// password give the same answer in about the same time, so the form does not reveal who has an account.
import type { Kernel } from '../kernel.ts';
import { hashPassword, spendVerificationTime, verifyPassword } from './passwords.ts';
import { reserveLoginAttempt, settleLoginAttempt } from './rate-limit.ts';
import { findUserForLogin, normalizeEmail, updatePasswordHash } from './users.ts';

export type LoginResult = { ok: true; userId: string } | { ok: false; reason: 'invalid' } | { ok: false; reason: 'throttled'; retryAfter: number };

export const INVALID_LOGIN = 'Email or password is incorrect.';

export const throttledMessage = (seconds: number) =>
  `Too many failed sign-in attempts. Try again in ${seconds < 60 ? `${seconds} seconds` : `${Math.ceil(seconds / 60)} minutes`}.`;

export async function checkLogin(k: Kernel, input: { email: string; password: string; ip: string }): Promise<LoginResult> {
  const email = normalizeEmail(input.email);
  // Reserved before the slow password check, so concurrent attempts cannot overrun the limits.
  const reservation = await reserveLoginAttempt(k, email, input.ip);
  if (!reservation.ok) return { ok: false, reason: 'throttled', retryAfter: reservation.retryAfter };
  const user = await findUserForLogin(k, email);
  if (!user) {
    await spendVerificationTime(input.password);
    await settleLoginAttempt(k, email, false);
    return { ok: false, reason: 'invalid' };
  }
  const v = await verifyPassword(input.password, user.passwordHash);
  await settleLoginAttempt(k, email, v.ok);
  if (!v.ok) return { ok: false, reason: 'invalid' };
  if (v.needsRehash) await updatePasswordHash(k, user.id, await hashPassword(input.password));
  return { ok: true, userId: user.id };
}
