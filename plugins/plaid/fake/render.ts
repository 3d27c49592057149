// Plaid's wire shapes for items, accounts, transactions and institutions (API version 2020-09-14).
// The conformance test validates every one of these against the OpenAPI spec.
import type { Institution } from './institutions.ts';
import type { FakeItem } from './item.ts';
import { merchantEntityId, merchantLogoUrl } from './merchants.ts';
import { pfcFor, pfcIconUrl, type PfcVersion } from './pfc.ts';
import type { FakeAccount, StoredTransaction } from './types.ts';

export function renderAccount(a: FakeAccount, opts: { investment?: boolean } = {}): Record<string, unknown> {
  const balances: Record<string, unknown> = {
    available: a.balances.available, current: a.balances.current, limit: a.balances.limit,
    iso_currency_code: a.balances.iso_currency_code, unofficial_currency_code: null,
  };
  if (opts.investment) balances.margin_loan_amount = null; // every account in a holdings answer is an InvestmentAccount
  return {
    account_id: a.account_id, balances, mask: a.mask, name: a.name, official_name: a.official_name,
    type: a.type, subtype: a.subtype, holder_category: 'personal',
  };
}

/** The item as /item/get, /accounts/get and friends describe it; `error` without the webhook-only status. */
export function renderItem(item: FakeItem, opts: { consentFields?: boolean } = {}): Record<string, unknown> {
  const out: Record<string, unknown> = {
    item_id: item.item_id,
    institution_id: item.institution.institution_id,
    institution_name: item.institution.name,
    webhook: item.webhook,
    auth_method: null,
    error: item.error ? withoutStatus(item.error) : null,
    available_products: item.institution.products.filter((p) => !item.products.includes(p)).sort(),
    billed_products: [...item.products].sort(),
    products: [...item.products].sort(),
    consented_products: [...item.products].sort(),
    consent_expiration_time: item.consentExpiration,
    update_type: 'background',
  };
  if (opts.consentFields) out.created_at = item.created_at;
  return out;
}

export type TransactionRenderOptions = { pfcVersion: PfcVersion; includeOriginalDescription: boolean };

export function renderTransaction(t: StoredTransaction, opts: TransactionRenderOptions): Record<string, unknown> {
  const pfc = pfcFor(t.category, opts.pfcVersion, t.amount);
  const m = t.merchant;
  const logo = m ? merchantLogoUrl(m) : null;
  return {
    account_id: t.account_id,
    account_owner: null,
    amount: t.amount,
    iso_currency_code: t.iso_currency_code,
    unofficial_currency_code: null,
    category: null,
    category_id: null,
    check_number: t.check_number,
    counterparties: m ? [{ name: m.name, type: 'merchant', logo_url: logo, website: m.website, entity_id: merchantEntityId(m), confidence_level: 'VERY_HIGH' }] : [],
    date: t.date,
    datetime: null,
    authorized_date: t.authorized_date,
    authorized_datetime: null,
    location: { address: null, city: t.city, region: t.region, postal_code: null, country: t.city ? 'US' : null, lat: null, lon: null, store_number: null },
    logo_url: logo,
    merchant_entity_id: m ? merchantEntityId(m) : null,
    merchant_name: m?.name ?? null,
    name: t.name,
    original_description: opts.includeOriginalDescription ? t.name : null,
    payment_channel: t.payment_channel,
    payment_meta: { by_order_of: null, payee: null, payer: null, payment_method: null, payment_processor: null, ppd_id: null, reason: null, reference_number: null },
    pending: t.pending,
    pending_transaction_id: t.pending_transaction_id,
    personal_finance_category: { primary: pfc.primary, detailed: pfc.detailed, confidence_level: m ? 'VERY_HIGH' : 'MEDIUM', version: opts.pfcVersion },
    personal_finance_category_icon_url: pfcIconUrl(pfc.primary),
    transaction_code: null,
    transaction_id: t.transaction_id,
    transaction_type: t.payment_channel === 'in store' ? 'place' : t.payment_channel === 'online' ? 'digital' : 'special',
    website: m?.website ?? null,
  };
}

export function renderInstitution(i: Institution, opts: { optionalMetadata: boolean; status: boolean; now: string }): Record<string, unknown> {
  const out: Record<string, unknown> = {
    institution_id: i.institution_id, name: i.name, products: i.products, country_codes: i.country_codes,
    routing_numbers: i.routing_numbers, dtc_numbers: [], oauth: i.oauth,
  };
  if (opts.optionalMetadata) Object.assign(out, { url: i.url, primary_color: i.primary_color, logo: null });
  if (opts.status) {
    const healthy = { status: 'HEALTHY', last_status_change: opts.now, breakdown: { success: 0.99, error_plaid: 0.005, error_institution: 0.005 } };
    const updates = { ...healthy, breakdown: { ...healthy.breakdown, refresh_interval: 'NORMAL' } };
    out.status = { item_logins: healthy, transactions_updates: updates, auth: healthy, identity: healthy, investments_updates: updates, liabilities_updates: updates, health_incidents: [] };
  }
  return out;
}

function withoutStatus<T extends { status?: unknown }>(e: T): Omit<T, 'status'> {
  const { status: _status, ...rest } = e;
  return rest;
}
