// Wire shapes for /investments/holdings/get (holdings, securities) and /liabilities/get.
import { addDays } from './dates.ts';
import { holdingValue, SECURITIES, type FakeHolding } from './investments.ts';
import type { FakeAccount } from './types.ts';

export function renderHolding(h: FakeHolding, asOf: string): Record<string, unknown> {
  return {
    account_id: h.account_id, security_id: h.security_id, institution_price: h.price, institution_price_as_of: asOf,
    institution_price_datetime: null, institution_value: holdingValue(h), cost_basis: h.cost_basis, quantity: h.quantity,
    iso_currency_code: 'USD', unofficial_currency_code: null, vested_quantity: null, vested_value: null,
  };
}

/** The securities the given holdings refer to, each once. */
export function renderSecurities(holdings: FakeHolding[], asOf: string): Record<string, unknown>[] {
  const ids = new Set(holdings.map((h) => h.security_id));
  return SECURITIES.filter((s) => ids.has(s.security_id)).map((s) => ({
    security_id: s.security_id, isin: s.isin, cusip: s.cusip, sedol: null, institution_security_id: null, institution_id: null,
    proxy_security_id: null, name: s.name, ticker_symbol: s.ticker_symbol, is_cash_equivalent: s.is_cash_equivalent,
    type: s.type, subtype: s.subtype, close_price: s.close_price, close_price_as_of: asOf, update_datetime: null,
    iso_currency_code: 'USD', unofficial_currency_code: null, market_identifier_code: s.market_identifier_code,
    sector: s.sector, industry: s.industry, cfi_code: null, option_contract: null, fixed_income: null,
  }));
}

/** Liabilities for the item's card, mortgage and student-loan accounts; a kind with none is null. */
export function renderLiabilities(accounts: FakeAccount[], today: string): Record<string, unknown> {
  const lastMonth = addDays(today, -20);
  const due = addDays(today, 10);
  const of = (role: string) => accounts.filter((a) => a.role === role);
  const credit = of('card').map((a) => ({
    account_id: a.account_id,
    aprs: [
      { apr_percentage: 22.99, apr_type: 'purchase_apr', balance_subject_to_apr: a.balances.current, interest_charge_amount: 0 },
      { apr_percentage: 27.99, apr_type: 'cash_apr', balance_subject_to_apr: 0, interest_charge_amount: 0 },
    ],
    is_overdue: false, last_payment_amount: 900, last_payment_date: addDays(today, -15), last_statement_issue_date: lastMonth,
    last_statement_balance: a.balances.current, minimum_payment_amount: 35, next_payment_due_date: due,
  }));
  const mortgage = of('mortgage').map((a) => ({
    account_id: a.account_id, account_number: `3120194${a.mask}`, current_late_fee: 0, escrow_balance: 3141.54, has_pmi: false,
    has_prepayment_penalty: false, interest_rate: { percentage: 4.125, type: 'fixed' }, last_payment_amount: 2412.9,
    last_payment_date: lastMonth, loan_type_description: 'conventional', loan_term: '30 year', maturity_date: '2049-07-01',
    next_monthly_payment: 2412.9, next_payment_due_date: due, origination_date: '2019-07-01', origination_principal_amount: 360000,
    past_due_amount: 0, property_address: { city: 'Oakland', country: 'US', postal_code: '94610', region: 'CA', street: '2992 Cameron Road' },
    ytd_interest_paid: 6012.44, ytd_principal_paid: 4110.37,
  }));
  const student = of('student').map((a) => ({
    account_id: a.account_id, account_number: `4277075${a.mask}`, disbursement_dates: ['2014-08-01'], expected_payoff_date: '2032-01-01',
    guarantor: 'DEPT OF ED', interest_rate_percentage: 5.25, is_overdue: false, last_payment_amount: 138.05, last_payment_date: lastMonth,
    last_statement_balance: a.balances.current, last_statement_issue_date: lastMonth, loan_name: 'Consolidation',
    loan_status: { end_date: '2032-01-01', type: 'repayment' }, minimum_payment_amount: 138.05, next_payment_due_date: due,
    origination_date: '2014-08-01', origination_principal_amount: 25000, outstanding_interest_amount: 6.71,
    payment_reference_number: `4277075${a.mask}`, pslf_status: { estimated_eligibility_date: null, payments_made: null, payments_remaining: null },
    repayment_plan: { description: 'Standard Repayment', type: 'standard' }, sequence_number: '1',
    servicer_address: { city: 'Madison', country: 'US', postal_code: '53708', region: 'WI', street: '123 Servicer St' },
    ytd_interest_paid: 280.55, ytd_principal_paid: 271.65,
  }));
  return { credit: credit.length ? credit : null, mortgage: mortgage.length ? mortgage : null, student: student.length ? student : null };
}
