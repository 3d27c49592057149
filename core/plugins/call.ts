// The CallInfo of one call: which plugin, household and user it acts for. Built by the kernel from
// the authenticated request or the job's data; a plugin never chooses it.
import type { Context } from 'hono';
import type { Database } from '../db/database.ts';
import type { AppEnv } from '../http/env.ts';
import type { CallInfo, HouseholdInfo, Manifest, Role, UserInfo } from '../../plugin-sdk/types.ts';
import { pagePrefix } from './naming.ts';

export async function householdInfo(db: Database, householdId: string, userId: string | null): Promise<HouseholdInfo> {
  const [h] = await db.withHousehold({ householdId, userId }, (tx) =>
    tx`select id, name, base_currency, time_zone from kernel.households where id = ${householdId}`);
  if (!h) throw new Error(`household ${householdId} does not exist`);
  return { id: h.id, name: h.name, baseCurrency: h.base_currency.trim(), timeZone: h.time_zone };
}

export const pluginInfo = (m: Manifest) => ({ id: m.id, version: m.version, base: pagePrefix(m.id) });

export function callInfo(m: Manifest, household: HouseholdInfo, user: UserInfo | null, role: Role | null, requestId?: string): CallInfo {
  return { plugin: pluginInfo(m), household, user, role, ...(requestId ? { requestId } : {}) };
}

/** For a request: the signed-in user and the household the request acts for (both required). */
export async function requestCall(db: Database, c: Context<AppEnv>, m: Manifest): Promise<CallInfo | null> {
  const auth = c.get('auth');
  if (!auth?.householdId) return null;
  // Read with the credential (core/auth/principal.ts): no second transaction per plugin request.
  const household = auth.household?.id === auth.householdId ? auth.household : await householdInfo(db, auth.householdId, auth.user.id);
  const user = { id: auth.user.id, name: auth.user.name, email: auth.user.email };
  const idempotencyKey = c.req.header('idempotency-key');
  return {
    ...callInfo(m, household, user, auth.role, c.get('requestId')), csrf: c.get('csrfToken') ?? '',
    ...(idempotencyKey ? { idempotencyKey } : {}),
  };
}
