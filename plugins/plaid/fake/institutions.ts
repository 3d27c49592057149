// The banks the fake knows, and the accounts an item at each one gets. `ins_109508` mirrors Plaid
// sandbox's "First Platypus Bank" (every product); the others cover a demo bank and a bank that only
// has a checking account (so investments/liabilities calls fail the way they do at such a bank).

export type AccountRole = 'checking' | 'savings' | 'card' | 'brokerage' | 'ira' | 'mortgage' | 'student';

export type AccountTemplate = {
  role: AccountRole;
  name: string;
  official_name: string | null;
  type: 'depository' | 'credit' | 'investment' | 'loan';
  subtype: string;
  mask: string;
  available: number | null;
  current: number;
  limit: number | null;
};

export type Institution = {
  institution_id: string;
  name: string;
  products: string[];
  country_codes: string[];
  url: string;
  primary_color: string;
  routing_numbers: string[];
  oauth: boolean;
  accounts: AccountTemplate[];
};

const checking: AccountTemplate = { role: 'checking', name: 'Plaid Checking', official_name: 'Plaid Gold Standard 0% Interest Checking', type: 'depository', subtype: 'checking', mask: '0000', available: 4210.55, current: 4310.55, limit: null };
const savings: AccountTemplate = { role: 'savings', name: 'Plaid Saving', official_name: 'Plaid Silver Standard 0.1% Interest Saving', type: 'depository', subtype: 'savings', mask: '1111', available: 12200.1, current: 12200.1, limit: null };
const card: AccountTemplate = { role: 'card', name: 'Plaid Credit Card', official_name: 'Plaid Diamond 12.5% APR Interest Credit Card', type: 'credit', subtype: 'credit card', mask: '3333', available: 5589.6, current: 1410.4, limit: 7000 };
const brokerage: AccountTemplate = { role: 'brokerage', name: 'Plaid Brokerage', official_name: null, type: 'investment', subtype: 'brokerage', mask: '5555', available: null, current: 0, limit: null };
const ira: AccountTemplate = { role: 'ira', name: 'Plaid IRA', official_name: null, type: 'investment', subtype: 'ira', mask: '6666', available: null, current: 0, limit: null };
const mortgage: AccountTemplate = { role: 'mortgage', name: 'Plaid Mortgage', official_name: null, type: 'loan', subtype: 'mortgage', mask: '8888', available: null, current: 287340.12, limit: null };
const student: AccountTemplate = { role: 'student', name: 'Plaid Student Loan', official_name: null, type: 'loan', subtype: 'student', mask: '7777', available: null, current: 18240.77, limit: null };

const ALL_PRODUCTS = ['assets', 'auth', 'balance', 'identity', 'investments', 'liabilities', 'transactions'];

export const INSTITUTIONS: Institution[] = [
  {
    institution_id: 'ins_109508', name: 'First Platypus Bank', products: ALL_PRODUCTS, country_codes: ['US'],
    url: 'https://www.platypus.example', primary_color: '#1f1f1f', routing_numbers: ['011000138', '011200365'], oauth: false,
    accounts: [checking, savings, card, brokerage, mortgage, student],
  },
  {
    institution_id: 'ins_mff_demo', name: 'Cascade Demo Bank', products: ALL_PRODUCTS, country_codes: ['US', 'CA'],
    url: 'https://bank.cascade.example', primary_color: '#0b6e4f', routing_numbers: ['121000358'], oauth: true,
    accounts: [{ ...checking, name: 'Everyday Checking', official_name: 'Cascade Everyday Checking' }, { ...savings, name: 'High-Yield Savings', official_name: 'Cascade High-Yield Savings' }, { ...card, name: 'Cascade Rewards Visa', official_name: 'Cascade Rewards Visa Signature' }, { ...ira, name: 'Retirement IRA' }, { ...mortgage, name: 'Home Mortgage' }],
  },
  {
    institution_id: 'ins_mff_basic', name: 'Prairie Basic Bank', products: ['auth', 'balance', 'transactions'], country_codes: ['US'],
    url: 'https://prairie.example', primary_color: '#8a5a00', routing_numbers: ['101000019'], oauth: false,
    accounts: [{ ...checking, name: 'Basic Checking', official_name: null }],
  },
];

export function findInstitution(id: string): Institution | undefined {
  return INSTITUTIONS.find((i) => i.institution_id === id);
}
