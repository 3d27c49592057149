// Sign-up, sign-in and sign-out pages. Plain forms (POST, then 303), so they work without
// JavaScript; bad input re-renders the form with field messages, keeping what was typed except
// passwords.
import type { Context, Hono } from 'hono';
import type { AppEnv } from '../http/env.ts';
import type { Kernel } from '../kernel.ts';
import { clientIp } from './client-ip.ts';
import { LoginForm, SignupForm, fieldErrors, formStrings, safeNext } from './forms.ts';
import { INVALID_LOGIN, checkLogin, throttledMessage } from './login.ts';
import { endBrowserSession, startBrowserSession } from './session.ts';
import { EmailTakenError, SignupClosedError, createUser, signupAllowed } from './users.ts';

type FormState = { values?: Record<string, string>; errors?: Record<string, string>; error?: string; next?: string | null };

const CLOSED = 'Sign-up is closed on this instance. Ask its administrator for an account.';

export function registerAuthPages(app: Hono<AppEnv>, k: Kernel): void {
  const signupPage = async (c: Context<AppEnv>, state: FormState, status = 200) => {
    const open = await signupAllowed(k);
    const error = state.error ?? (open ? undefined : CLOSED);
    return k.views.page(c, 'auth/signup', { values: {}, errors: {}, ...state, open, error }, { title: 'Sign up', status });
  };
  const loginPage = (c: Context<AppEnv>, state: FormState, status = 200) =>
    k.views.page(c, 'auth/login', { values: {}, errors: {}, ...state }, { title: 'Log in', status });

  app.get('/signup', async (c) => {
    if (c.get('auth')) return c.redirect('/', 303);
    return signupPage(c, { next: safeNext(c.req.query('next')) });
  });

  app.post('/signup', async (c) => {
    const form = formStrings(await c.req.parseBody());
    const next = safeNext(form.next);
    const values = { name: form.name ?? '', email: form.email ?? '' };
    if (!(await signupAllowed(k))) return signupPage(c, { values, error: CLOSED, next }, 403);
    const parsed = SignupForm.safeParse(form);
    if (!parsed.success) return signupPage(c, { values, errors: fieldErrors(parsed.error), next }, 422);
    let user;
    try {
      user = await createUser(k, parsed.data);
    } catch (err) {
      if (err instanceof SignupClosedError) return signupPage(c, { values, error: CLOSED, next }, 403);
      if (err instanceof EmailTakenError) {
        return signupPage(c, { values, errors: { email: 'An account with this email already exists. Log in instead?' }, next }, 409);
      }
      throw err;
    }
    c.get('log').info('user signed up', { user: user.id, admin: user.isAdmin });
    await startBrowserSession(c, k, user.id);
    // A brand-new user has no household yet: creating one (or following an invite) comes first.
    return c.redirect(next ?? '/households/new', 303);
  });

  app.get('/login', async (c) => {
    if (c.get('auth')) return c.redirect('/', 303);
    return loginPage(c, { next: safeNext(c.req.query('next')) });
  });

  app.post('/login', async (c) => {
    const form = formStrings(await c.req.parseBody());
    const next = safeNext(form.next);
    const values = { email: form.email ?? '' };
    const parsed = LoginForm.safeParse(form);
    if (!parsed.success) return loginPage(c, { values, errors: fieldErrors(parsed.error), next }, 422);
    const result = await checkLogin(k, { ...parsed.data, ip: clientIp(c, k.config.MFF_TRUSTED_PROXIES) });
    if (!result.ok) {
      if (result.reason === 'throttled') {
        c.header('retry-after', String(result.retryAfter));
        return loginPage(c, { values, error: throttledMessage(result.retryAfter), next }, 429);
      }
      return loginPage(c, { values, error: INVALID_LOGIN, next }, 401);
    }
    await startBrowserSession(c, k, result.userId);
    return c.redirect(next ?? '/', 303);
  });

  app.post('/logout', async (c) => {
    await endBrowserSession(c, k);
    c.set('auth', undefined);
    if (c.req.header('hx-request') === 'true') {
      c.header('hx-redirect', '/login');
      return c.body(null, 204);
    }
    return c.redirect('/login', 303);
  });
}
