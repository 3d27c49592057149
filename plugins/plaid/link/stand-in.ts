// Link without Plaid's script, for the fake Plaid of tests and the demo: the fake completes a Link
// session when told which institution the user "chose" (POST /__fake/link/complete), the way real
// Link's onSuccess hands back a public token.
import type { PluginContext } from '../../../plugin-sdk/index.ts';
import { plaidConfig } from '../config.ts';

/** The fake's banks, as its stand-in Link page offers them. */
export const STAND_IN_INSTITUTIONS = [
  { id: 'ins_mff_demo', name: 'Cascade Demo Bank', note: 'checking, savings, card, IRA, mortgage' },
  { id: 'ins_109508', name: 'First Platypus Bank', note: 'checking, savings, card, brokerage, mortgage, student loan' },
  { id: 'ins_mff_basic', name: 'Prairie Basic Bank', note: 'checking only' },
];

export async function completeStandInLink(ctx: PluginContext, linkToken: string, institutionId: string | null): Promise<string> {
  const config = await plaidConfig(ctx);
  if (!config.standIn) throw new Error('the stand-in Link only works against a fake Plaid (base-URL override)');
  const res = await ctx.fetch(`${config.baseUrl}/__fake/link/complete`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ link_token: linkToken, ...(institutionId ? { institution_id: institutionId } : {}) }),
  });
  const body = (await res.json()) as { public_token?: string; error_code?: string };
  if (!res.ok || !body.public_token) throw new Error(`the stand-in Link failed: ${body.error_code ?? res.status}`);
  return body.public_token;
}
