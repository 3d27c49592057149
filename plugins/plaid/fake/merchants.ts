// What generated spending looks like: everyday categories (PFCv2 detailed) with their merchants,
// how often they occur and how much they cost, plus the recurring bills and income of a household.
// Every category here must exist in the taxonomy (checked at load, so a typo fails fast).
import { pfcCategory, TAXONOMY } from './pfc.ts';
import { stableId } from './rng.ts';

export type Channel = 'online' | 'in store' | 'other';

export type Merchant = { name: string; descriptor: string; website: string | null };

export type SpendingKind = {
  category: string;
  weight: number;
  min: number;
  max: number;
  channel: Channel;
  merchants: Merchant[];
};

const m = (name: string, descriptor: string, website: string | null = null): Merchant => ({ name, descriptor, website });

export const EVERYDAY: SpendingKind[] = [
  { category: 'FOOD_AND_DRINK_GROCERIES', weight: 14, min: 12, max: 190, channel: 'in store', merchants: [m("Trader Joe's", 'TRADER JOE S #552', 'traderjoes.com'), m('Whole Foods Market', 'WHOLEFDS MKT 10234', 'wholefoodsmarket.com'), m('Safeway', 'SAFEWAY #1711', 'safeway.com'), m('Kroger', 'KROGER #0391', 'kroger.com')] },
  { category: 'FOOD_AND_DRINK_COFFEE', weight: 10, min: 3, max: 14, channel: 'in store', merchants: [m('Starbucks', 'STARBUCKS STORE 04211', 'starbucks.com'), m('Blue Bottle Coffee', 'BLUE BOTTLE COFFEE', 'bluebottlecoffee.com'), m('Peet\'s Coffee', 'PEETS 0127', 'peets.com')] },
  { category: 'FOOD_AND_DRINK_RESTAURANT', weight: 9, min: 18, max: 140, channel: 'in store', merchants: [m('Olive Garden', 'OLIVE GARDEN 0451', 'olivegarden.com'), m('The Cheesecake Factory', 'CHEESECAKE FACTORY 77', 'thecheesecakefactory.com'), m('Local Thai Kitchen', 'SQ *LOCAL THAI KITCHEN', null)] },
  { category: 'FOOD_AND_DRINK_FAST_FOOD', weight: 8, min: 6, max: 28, channel: 'in store', merchants: [m('Chipotle Mexican Grill', 'CHIPOTLE 1123', 'chipotle.com'), m("McDonald's", 'MCDONALD\'S F3321', 'mcdonalds.com'), m('Subway', 'SUBWAY 00482', 'subway.com')] },
  { category: 'GENERAL_MERCHANDISE_ONLINE_MARKETPLACES', weight: 9, min: 8, max: 220, channel: 'online', merchants: [m('Amazon', 'AMAZON MKTPL*2K4RT1', 'amazon.com'), m('eBay', 'EBAY O*12-09876', 'ebay.com'), m('Etsy', 'ETSY.COM - SHOP', 'etsy.com')] },
  { category: 'GENERAL_MERCHANDISE_SUPERSTORES', weight: 5, min: 15, max: 260, channel: 'in store', merchants: [m('Target', 'TARGET 00012345', 'target.com'), m('Walmart', 'WAL-MART #3410', 'walmart.com'), m('Costco', 'COSTCO WHSE #0117', 'costco.com')] },
  { category: 'GENERAL_MERCHANDISE_CLOTHING_AND_ACCESSORIES', weight: 3, min: 20, max: 180, channel: 'in store', merchants: [m('Uniqlo', 'UNIQLO USA 1041', 'uniqlo.com'), m('Gap', 'GAP US 1832', 'gap.com')] },
  { category: 'GENERAL_MERCHANDISE_PET_SUPPLIES', weight: 1.5, min: 15, max: 90, channel: 'online', merchants: [m('Chewy', 'CHEWY.COM', 'chewy.com')] },
  { category: 'TRANSPORTATION_GAS', weight: 6, min: 25, max: 85, channel: 'in store', merchants: [m('Shell', 'SHELL OIL 57442', 'shell.com'), m('Chevron', 'CHEVRON 0203411', 'chevron.com')] },
  { category: 'TRANSPORTATION_TAXIS_AND_RIDE_SHARES', weight: 4, min: 8, max: 55, channel: 'online', merchants: [m('Uber', 'UBER *TRIP', 'uber.com'), m('Lyft', 'LYFT *RIDE', 'lyft.com')] },
  { category: 'TRANSPORTATION_PUBLIC_TRANSIT', weight: 3, min: 2.5, max: 40, channel: 'in store', merchants: [m('BART', 'BART-CLIPPER', 'bart.gov')] },
  { category: 'TRANSPORTATION_PARKING', weight: 1.5, min: 3, max: 30, channel: 'in store', merchants: [m('SP+ Parking', 'SP+ PARKING 4410', 'spplus.com')] },
  { category: 'ENTERTAINMENT_SPORTING_EVENTS_AMUSEMENT_PARKS_AND_MUSEUMS', weight: 1, min: 15, max: 160, channel: 'online', merchants: [m('Ticketmaster', 'TICKETMASTER', 'ticketmaster.com')] },
  { category: 'ENTERTAINMENT_VIDEO_GAMES', weight: 1, min: 5, max: 70, channel: 'online', merchants: [m('Steam', 'STEAMGAMES.COM 4259522', 'store.steampowered.com')] },
  { category: 'MEDICAL_PHARMACIES_AND_SUPPLEMENTS', weight: 2, min: 5, max: 60, channel: 'in store', merchants: [m('CVS Pharmacy', 'CVS/PHARMACY #0871', 'cvs.com'), m('Walgreens', 'WALGREENS #3312', 'walgreens.com')] },
  { category: 'MEDICAL_PRIMARY_CARE', weight: 0.6, min: 25, max: 250, channel: 'in store', merchants: [m('One Medical', 'ONE MEDICAL', 'onemedical.com')] },
  { category: 'PERSONAL_CARE_HAIR_AND_BEAUTY', weight: 1.2, min: 20, max: 120, channel: 'in store', merchants: [m('Supercuts', 'SUPERCUTS 8821', 'supercuts.com'), m('Sephora', 'SEPHORA 0192', 'sephora.com')] },
  { category: 'HOME_IMPROVEMENT_HARDWARE', weight: 1.5, min: 8, max: 240, channel: 'in store', merchants: [m('The Home Depot', 'THE HOME DEPOT #0621', 'homedepot.com'), m("Lowe's", 'LOWES #01842', 'lowes.com')] },
  { category: 'HOME_IMPROVEMENT_FURNITURE', weight: 0.4, min: 60, max: 900, channel: 'online', merchants: [m('IKEA', 'IKEA EAST PALO ALTO', 'ikea.com'), m('Wayfair', 'WAYFAIR*1234567', 'wayfair.com')] },
  { category: 'TRAVEL_FLIGHTS', weight: 0.4, min: 90, max: 750, channel: 'online', merchants: [m('United Airlines', 'UNITED 0162345678901', 'united.com'), m('Southwest Airlines', 'SOUTHWES 5262345678', 'southwest.com')] },
  { category: 'TRAVEL_LODGING', weight: 0.4, min: 110, max: 900, channel: 'online', merchants: [m('Airbnb', 'AIRBNB * HMQ4ZX', 'airbnb.com'), m('Marriott', 'MARRIOTT SF UNION SQ', 'marriott.com')] },
  { category: 'GOVERNMENT_AND_NON_PROFIT_DONATIONS', weight: 0.4, min: 10, max: 150, channel: 'online', merchants: [m('Wikimedia Foundation', 'WIKIMEDIA 8778506500', 'wikimedia.org')] },
  { category: 'TRANSFER_OUT_WITHDRAWAL', weight: 1, min: 20, max: 200, channel: 'other', merchants: [m('ATM Withdrawal', 'ATM WITHDRAWAL 0411 MAIN ST', null)] },
];

/** Bills and income that repeat on a schedule; `account` says which account role carries them. */
export type Recurring = {
  category: string;
  merchant: Merchant;
  everyDays: number | 'monthly';
  dayOfMonth?: number;
  amount: number;
  jitter: number;
  account: 'checking' | 'card' | 'savings';
  channel: Channel;
  income?: boolean;
};

export const RECURRING: Recurring[] = [
  { category: 'INCOME_SALARY', merchant: m('Acme Corp', 'ACME CORP PAYROLL PPD ID: 1234567890'), everyDays: 14, amount: 2840.55, jitter: 0, account: 'checking', channel: 'other', income: true },
  { category: 'RENT_AND_UTILITIES_RENT', merchant: m('Greenview Apartments', 'GREENVIEW APTS WEB PMTS'), everyDays: 'monthly', dayOfMonth: 1, amount: 2150, jitter: 0, account: 'checking', channel: 'other' },
  { category: 'RENT_AND_UTILITIES_GAS_AND_ELECTRICITY', merchant: m('PG&E', 'PGANDE WEB ONLINE', 'pge.com'), everyDays: 'monthly', dayOfMonth: 12, amount: 96, jitter: 45, account: 'checking', channel: 'online' },
  { category: 'RENT_AND_UTILITIES_INTERNET_AND_CABLE', merchant: m('Comcast', 'COMCAST CABLE COMM', 'xfinity.com'), everyDays: 'monthly', dayOfMonth: 18, amount: 79.99, jitter: 0, account: 'card', channel: 'online' },
  { category: 'RENT_AND_UTILITIES_TELEPHONE', merchant: m('Verizon Wireless', 'VZWRLSS*APOCC VISB', 'verizon.com'), everyDays: 'monthly', dayOfMonth: 22, amount: 65, jitter: 8, account: 'card', channel: 'online' },
  { category: 'ENTERTAINMENT_TV_AND_MOVIES', merchant: m('Netflix', 'NETFLIX.COM', 'netflix.com'), everyDays: 'monthly', dayOfMonth: 7, amount: 15.49, jitter: 0, account: 'card', channel: 'online' },
  { category: 'ENTERTAINMENT_MUSIC_AND_AUDIO', merchant: m('Spotify', 'SPOTIFY USA', 'spotify.com'), everyDays: 'monthly', dayOfMonth: 9, amount: 11.99, jitter: 0, account: 'card', channel: 'online' },
  { category: 'PERSONAL_CARE_GYMS_AND_FITNESS_CENTERS', merchant: m('Planet Fitness', 'PLANET FITNESS CLUB FEES', 'planetfitness.com'), everyDays: 'monthly', dayOfMonth: 17, amount: 24.99, jitter: 0, account: 'card', channel: 'other' },
  { category: 'GENERAL_SERVICES_INSURANCE', merchant: m('GEICO', 'GEICO *AUTO', 'geico.com'), everyDays: 'monthly', dayOfMonth: 5, amount: 128.4, jitter: 0, account: 'checking', channel: 'online' },
  { category: 'LOAN_PAYMENTS_CREDIT_CARD_PAYMENT', merchant: m('Credit card payment', 'PAYMENT THANK YOU'), everyDays: 'monthly', dayOfMonth: 25, amount: 900, jitter: 350, account: 'checking', channel: 'other' },
  { category: 'TRANSFER_OUT_SAVINGS', merchant: m('Transfer to savings', 'ONLINE TRANSFER TO SAV ...1111'), everyDays: 'monthly', dayOfMonth: 2, amount: 400, jitter: 0, account: 'checking', channel: 'other' },
  { category: 'INCOME_INTEREST_EARNED', merchant: m('Interest', 'INTEREST PAYMENT'), everyDays: 'monthly', dayOfMonth: 28, amount: 6.5, jitter: 3, account: 'savings', channel: 'other', income: true },
];

export function merchantEntityId(merchant: Merchant): string {
  return stableId(`merchant:${merchant.name}`);
}

export function merchantLogoUrl(merchant: Merchant): string | null {
  if (!merchant.website) return null;
  return `https://plaid-merchant-logos.plaid.com/${merchant.name.toLowerCase().replace(/[^a-z0-9]+/g, '_')}.png`;
}

/** Rare categories from the rest of the taxonomy, so consumers meet the long tail too (money in,
 *  transfers and the scheduled bills only ever come from their schedule). */
export const LONG_TAIL: string[] = TAXONOMY.map((c) => c.detailed).filter(
  (d) => !/^(INCOME|LOAN_DISBURSEMENTS|LOAN_PAYMENTS|TRANSFER_IN|TRANSFER_OUT)_/.test(d) && !RECURRING.some((r) => r.category === d),
);

for (const k of [...EVERYDAY, ...RECURRING]) pfcCategory(k.category);
