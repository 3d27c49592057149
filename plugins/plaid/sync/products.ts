// Holdings and securities (/investments/holdings/get) and liability details (/liabilities/get), for
// items that have those products. Each replaces what the plugin held for the item, in one transaction.
import type { CreditCardLiability, MortgageLiability, PlaidApi, StudentLoan } from 'plaid';
import type { PluginContext } from '../../../plugin-sdk/index.ts';
import { plaidErrorOf } from '../client/errors.ts';
import { decimal } from './convert.ts';

/** Errors meaning "this item has nothing of the kind", not a failure. */
const NOTHING = new Set(['PRODUCTS_NOT_SUPPORTED', 'NO_INVESTMENT_ACCOUNTS', 'NO_LIABILITY_ACCOUNTS', 'PRODUCT_NOT_ENABLED', 'ADDITIONAL_CONSENT_REQUIRED', 'NO_INVESTMENT_AUTH_ACCOUNTS']);

const num = (n: number | null | undefined) => (n === null || n === undefined ? null : decimal(n));

async function absentIsEmpty<T>(call: Promise<T>): Promise<T | null> {
  try {
    return await call;
  } catch (err) {
    if (NOTHING.has(plaidErrorOf(err).code)) return null;
    throw err;
  }
}

export async function refreshHoldings(ctx: PluginContext, api: PlaidApi, token: string, itemId: string): Promise<number> {
  const res = await absentIsEmpty(api.investmentsHoldingsGet({ access_token: token }));
  const data = res?.data ?? { holdings: [], securities: [] };
  const securities = data.securities.map((s) => ({
    security_id: s.security_id, name: s.name ?? null, ticker: s.ticker_symbol ?? null, type: s.type ?? null,
    close_price: num(s.close_price), close_price_as_of: s.close_price_as_of ?? null, currency: s.iso_currency_code ?? s.unofficial_currency_code ?? null,
  }));
  const holdings = data.holdings.map((h) => ({
    account_id: h.account_id, security_id: h.security_id, quantity: decimal(h.quantity), price: num(h.institution_price),
    value: num(h.institution_value), cost_basis: num(h.cost_basis), currency: h.iso_currency_code ?? h.unofficial_currency_code ?? null,
    as_of: h.institution_price_as_of ?? null,
  }));
  await ctx.db.tx(async (sql) => {
    await sql`
      insert into securities (security_id, name, ticker, type, close_price, close_price_as_of, currency)
      select * from jsonb_to_recordset(${JSON.stringify(securities)}::text::jsonb)
        as s(security_id text, name text, ticker text, type text, close_price numeric, close_price_as_of date, currency text)
      on conflict (household_id, security_id) do update set name = excluded.name, ticker = excluded.ticker, type = excluded.type,
        close_price = excluded.close_price, close_price_as_of = excluded.close_price_as_of, currency = excluded.currency`;
    await sql`delete from holdings where account_id in (select account_id from accounts where item_id = ${itemId})`;
    await sql`
      insert into holdings (account_id, security_id, quantity, price, value, cost_basis, currency, as_of)
      select h.* from jsonb_to_recordset(${JSON.stringify(holdings)}::text::jsonb)
        as h(account_id text, security_id text, quantity numeric, price numeric, value numeric, cost_basis numeric, currency text, as_of date)
      where exists (select from accounts a where a.account_id = h.account_id and a.item_id = ${itemId})`;
  });
  return holdings.length;
}

type Kind = 'credit' | 'mortgage' | 'student';

function credit(c: CreditCardLiability) {
  return { aprs: c.aprs.map((a) => ({ type: a.apr_type, percentage: a.apr_percentage })), lastPaymentAmount: num(c.last_payment_amount), lastPaymentDate: c.last_payment_date,
    lastStatementBalance: num(c.last_statement_balance), lastStatementDate: c.last_statement_issue_date, minimumPayment: num(c.minimum_payment_amount),
    nextPaymentDueDate: c.next_payment_due_date, overdue: c.is_overdue };
}

function mortgage(m: MortgageLiability) {
  return { interestRate: m.interest_rate?.percentage ?? null, rateType: m.interest_rate?.type ?? null, loanTerm: m.loan_term, maturityDate: m.maturity_date,
    nextPaymentAmount: num(m.next_monthly_payment), nextPaymentDueDate: m.next_payment_due_date, originationDate: m.origination_date,
    originationPrincipal: num(m.origination_principal_amount), escrowBalance: num(m.escrow_balance), pastDueAmount: num(m.past_due_amount) };
}

function student(s: StudentLoan) {
  return { interestRate: s.interest_rate_percentage, loanName: s.loan_name, minimumPayment: num(s.minimum_payment_amount), nextPaymentDueDate: s.next_payment_due_date,
    expectedPayoffDate: s.expected_payoff_date, outstandingInterest: num(s.outstanding_interest_amount), originationPrincipal: num(s.origination_principal_amount),
    status: s.loan_status?.type ?? null, repaymentPlan: s.repayment_plan?.description ?? null };
}

export async function refreshLiabilities(ctx: PluginContext, api: PlaidApi, token: string, itemId: string): Promise<number> {
  const res = await absentIsEmpty(api.liabilitiesGet({ access_token: token }));
  const l = res?.data.liabilities;
  const rows: { account_id: string; kind: Kind; details: unknown }[] = [
    ...(l?.credit ?? []).filter((c) => c.account_id).map((c) => ({ account_id: c.account_id!, kind: 'credit' as const, details: credit(c) })),
    ...(l?.mortgage ?? []).map((m) => ({ account_id: m.account_id, kind: 'mortgage' as const, details: mortgage(m) })),
    ...(l?.student ?? []).filter((s) => s.account_id).map((s) => ({ account_id: s.account_id!, kind: 'student' as const, details: student(s) })),
  ];
  await ctx.db.tx(async (sql) => {
    await sql`delete from liabilities where account_id in (select account_id from accounts where item_id = ${itemId})`;
    await sql`
      insert into liabilities (account_id, kind, details)
      select r.account_id, r.kind, r.details from jsonb_to_recordset(${JSON.stringify(rows)}::text::jsonb) as r(account_id text, kind text, details jsonb)
      where exists (select from accounts a where a.account_id = r.account_id and a.item_id = ${itemId})`;
  });
  return rows.length;
}
