// Shared steps for the households tests: real browser-style clients against a real server.
import assert from 'node:assert/strict';
import type { TestClient, TestResponse } from '../../test/support/client.ts';
import { newUser, type TestUser } from '../../test/support/users.ts';

export type Person = { client: TestClient; user: TestUser };

/** A cookie-session JSON call with the page's CSRF token, as the app's own scripts would send it. */
export const api = (p: Person, method: string, path: string, body?: unknown): Promise<TestResponse> =>
  p.client.api(method, path, body, { headers: { 'x-csrf-token': p.client.csrf } });

/** Posts the create-household form and returns the new household's id. */
export async function createHousehold(p: Person, name: string, fields: Record<string, string> = {}): Promise<string> {
  await p.client.get('/households/new');
  const res = await p.client.form('/households', { name, baseCurrency: 'EUR', timeZone: 'Europe/Paris', ...fields });
  assert.equal(res.status, 303, res.text.slice(0, 300));
  const list = await api(p, 'GET', '/api/v1/households');
  const h = list.json().items.find((x: { name: string }) => x.name === name);
  assert.ok(h, `household ${name} should be listed`);
  return h.id;
}

/** A signed-up user who owns a new household of that name (selected). */
export async function owner(baseUrl: string, household: string, name = 'Owner'): Promise<Person & { householdId: string }> {
  const p = await newUser(baseUrl, { name });
  const householdId = await createHousehold(p, household);
  await p.client.get('/'); // refresh the CSRF token from a page
  return { ...p, householdId };
}

/** `who` joins `householdId` with `role` through an invite `by` created (selected afterwards). */
export async function join(by: Person, householdId: string, who: Person, role: 'owner' | 'member' | 'viewer'): Promise<void> {
  const inv = await api(by, 'POST', `/api/v1/households/${householdId}/invites`, { role });
  assert.equal(inv.status, 201, inv.text);
  const res = await api(who, 'POST', '/api/v1/invites/accept', { token: inv.json().token });
  assert.equal(res.status, 200, res.text);
  await who.client.get('/');
}

/** A user who belongs to `householdId` with `role`. */
export async function memberOf(baseUrl: string, by: Person, householdId: string, role: 'owner' | 'member' | 'viewer', name: string = role): Promise<Person> {
  const p = await newUser(baseUrl, { name });
  await join(by, householdId, p, role);
  return p;
}
