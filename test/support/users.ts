// Signing users up and in for tests, the way a browser or a script would.
import { randomBytes } from 'node:crypto';
import { TestClient } from './client.ts';

export type TestUser = { id: string; email: string; name: string; password: string; isAdmin: boolean };

export const DEFAULT_PASSWORD = 'correct horse battery staple';

export const uniqueEmail = (label = 'user') => `${label}-${randomBytes(4).toString('hex')}@example.com`;

async function whoAmI(client: TestClient, password: string): Promise<TestUser> {
  const me = await client.api('GET', '/api/v1/me');
  if (me.status !== 200) throw new Error(`GET /api/v1/me after sign-in: ${me.status} ${me.text}`);
  const u = me.json().user;
  return { id: u.id, email: u.email, name: u.name, isAdmin: u.isAdmin, password };
}

/**
 * Signs up through the browser flow (GET /signup for the CSRF token, POST the form) and leaves
 * `client` signed in with session cookies. client.csrf stays valid: the CSRF token belongs to the
 * browser's mff_csrf cookie, not to the session.
 */
export async function signUp(client: TestClient, opts: { email?: string; name?: string; password?: string } = {}): Promise<TestUser> {
  const email = opts.email ?? uniqueEmail();
  const password = opts.password ?? DEFAULT_PASSWORD;
  const name = opts.name ?? email.split('@')[0];
  await client.get('/signup');
  const res = await client.form('/signup', { name, email, password });
  if (res.status !== 303) throw new Error(`POST /signup: expected 303, got ${res.status}\n${res.text.slice(0, 500)}`);
  return whoAmI(client, password);
}

/** Logs `client` in through the browser form; it keeps the session cookies and CSRF token. */
export async function logIn(client: TestClient, email: string, password = DEFAULT_PASSWORD): Promise<TestUser> {
  await client.get('/login');
  const res = await client.form('/login', { email, password });
  if (res.status !== 303) throw new Error(`POST /login: expected 303, got ${res.status}\n${res.text.slice(0, 500)}`);
  return whoAmI(client, password);
}

/** A new signed-in browser client for a new user. */
export async function newUser(baseUrl: string, opts: { email?: string; name?: string; password?: string } = {}) {
  const client = new TestClient(baseUrl);
  const user = await signUp(client, opts);
  return { client, user };
}

/** POST /api/v1/auth/token: the token pair a script would get. */
export async function apiTokens(baseUrl: string, email: string, password = DEFAULT_PASSWORD): Promise<{ accessToken: string; refreshToken: string }> {
  const res = await fetch(`${baseUrl}/api/v1/auth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  const body = await res.json();
  if (res.status !== 200) throw new Error(`POST /api/v1/auth/token: ${res.status} ${JSON.stringify(body)}`);
  return { accessToken: body.access_token, refreshToken: body.refresh_token };
}

/** A bearer access token (JWT) for `email`. */
export async function apiToken(baseUrl: string, email: string, password = DEFAULT_PASSWORD): Promise<string> {
  return (await apiTokens(baseUrl, email, password)).accessToken;
}

/** Creates a personal access token for the user signed in on `client` and returns its secret. */
export async function createPat(
  client: TestClient,
  scopes: ('read' | 'write')[] = ['read', 'write'],
  opts: { name?: string; expiresAt?: string } = {},
): Promise<{ id: string; token: string }> {
  const res = await client.api('POST', '/api/v1/tokens', { name: opts.name ?? 'test token', scopes, ...(opts.expiresAt ? { expires_at: opts.expiresAt } : {}) }, {
    headers: { 'x-csrf-token': client.csrf },
  });
  if (res.status !== 201) throw new Error(`POST /api/v1/tokens: ${res.status} ${res.text}`);
  const body = res.json();
  return { id: body.id, token: body.token };
}
