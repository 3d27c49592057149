// Selecting the household the caller acts for is the session's business (core/auth/session.ts);
// this is the one place households code asks for it.
import type { Context } from 'hono';
import { switchHousehold } from '../auth/session.ts';
import type { AppEnv } from '../http/env.ts';
import type { Kernel } from '../kernel.ts';

/** Makes `householdId` current; with null (the user left their last one) there is nothing to select. */
export async function selectHousehold(c: Context<AppEnv>, k: Kernel, householdId: string | null): Promise<void> {
  if (householdId) await switchHousehold(c, k, householdId);
}
