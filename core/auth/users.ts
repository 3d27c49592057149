// Accounts. The first account on an instance becomes its admin; when sign-up is closed only that
// first account can still be created. Emails are stored lower-cased (the column insists).
import type { Kernel } from '../kernel.ts';
import { hashPassword } from './passwords.ts';

export type NewUser = { id: string; email: string; name: string; isAdmin: boolean };

export class SignupClosedError extends Error {}
export class EmailTakenError extends Error {}

const SIGNUP_LOCK = 0x6d666675; // serialises "am I the first user?" decisions

export const normalizeEmail = (email: string) => email.trim().toLowerCase();

export async function signupAllowed(k: Kernel): Promise<boolean> {
  if (k.config.openSignup) return true;
  const [row] = await k.db.app`select exists (select 1 from kernel.users) as any`;
  return !row.any;
}

export async function createUser(k: Kernel, input: { email: string; name: string; password: string }): Promise<NewUser> {
  const passwordHash = await hashPassword(input.password); // slow: outside the transaction
  const email = normalizeEmail(input.email);
  try {
    return await k.db.app.begin(async (tx) => {
      await tx`select pg_advisory_xact_lock(${SIGNUP_LOCK})`;
      const [{ first }] = await tx`select not exists (select 1 from kernel.users) as first`;
      if (!first && !k.config.openSignup) throw new SignupClosedError('sign-up is closed on this instance');
      const [row] = await tx`
        insert into kernel.users (email, name, password_hash, is_admin)
        values (${email}, ${input.name.trim()}, ${passwordHash}, ${first})
        returning id, email, name, is_admin`;
      return { id: row.id, email: row.email, name: row.name, isAdmin: row.is_admin };
    }) as NewUser;
  } catch (err) {
    if ((err as { code?: string }).code === '23505') throw new EmailTakenError('an account with this email already exists');
    throw err;
  }
}

export async function findUserForLogin(k: Kernel, email: string): Promise<{ id: string; passwordHash: string } | null> {
  const [row] = await k.db.app`select id, password_hash from kernel.users where email = ${normalizeEmail(email)}`;
  return row ? { id: row.id, passwordHash: row.password_hash } : null;
}

export async function updatePasswordHash(k: Kernel, userId: string, passwordHash: string): Promise<void> {
  await k.db.app`update kernel.users set password_hash = ${passwordHash} where id = ${userId}`;
}
