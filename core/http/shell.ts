// What every full page's layout needs: the signed-in user, their households, navigation, tokens.
import type { Context } from 'hono';
import type { Kernel } from '../kernel.ts';
import type { AppEnv } from './env.ts';
import type { ShellData } from './render.ts';

export function createShell(k: Kernel, assets: Record<string, string>) {
  return async (c: Context<AppEnv>, title: string): Promise<ShellData> => {
    const auth = c.get('auth');
    let households: { id: string; name: string }[] = [];
    let household: ShellData['household'];
    if (auth) {
      households = await k.db.withUser(auth.user.id, (tx) =>
        tx`select h.id, h.name from kernel.households h join kernel.memberships m on m.household_id = h.id
           where m.user_id = ${auth.user.id} order by h.name`) as unknown as { id: string; name: string }[];
      const current = households.find((h) => h.id === auth.householdId);
      if (current && auth.role) household = { ...current, role: auth.role };
    }
    return {
      title,
      nonce: c.get('nonce'),
      csrf: c.get('csrfToken') ?? '',
      assets,
      user: auth?.user,
      household,
      households,
      nav: [...k.nav].sort((a, b) => (a.order ?? 50) - (b.order ?? 50)),
      path: c.req.path,
    };
  };
}
