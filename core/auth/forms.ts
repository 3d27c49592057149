// Sign-up and sign-in input, shared by the pages and the API so both say the same things.
import { z } from 'zod';

export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 200;

export const emailField = z.string().trim().toLowerCase().max(254, 'Email is too long.').pipe(z.email('Enter a valid email address.'));
export const newPasswordField = z
  .string()
  .min(PASSWORD_MIN, `Use at least ${PASSWORD_MIN} characters.`)
  .max(PASSWORD_MAX, `Use at most ${PASSWORD_MAX} characters.`);
export const nameField = z.string().trim().min(1, 'Enter your name.').max(100, 'Use at most 100 characters.');

export const SignupForm = z.object({ name: nameField, email: emailField, password: newPasswordField });
export const LoginForm = z.object({
  email: z.string().trim().min(1, 'Enter your email.').max(254, 'Email is too long.'),
  password: z.string().min(1, 'Enter your password.').max(PASSWORD_MAX, 'Email or password is incorrect.'),
});

/** Field name → first message, for re-rendering a form. */
export function fieldErrors(err: z.ZodError): Record<string, string> {
  const out: Record<string, string> = {};
  for (const i of err.issues) {
    const f = String(i.path[0] ?? 'form');
    out[f] ??= i.message;
  }
  return out;
}

/** A same-site path to return to after signing in; anything else (//evil, https:..., \\) is dropped. */
export function safeNext(value: unknown): string | null {
  if (typeof value !== 'string' || value.length > 2000) return null;
  return /^\/(?![/\\])[^\s\\]*$/.test(value) ? value : null;
}

/** Only string fields of a parsed form (files and repeated fields are ignored). */
export function formStrings(body: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, v] of Object.entries(body)) if (typeof v === 'string') out[key] = v;
  return out;
}
