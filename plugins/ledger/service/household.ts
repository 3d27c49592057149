// SQL fragments about the bound household (see ledger.household_profile() in 0001_ledger.sql).
import type { Fragment, Tx } from './tx.ts';

/** The bound household's id, evaluated once per statement. */
export const householdId = (tx: Tx): Fragment => tx`(select kernel.current_household())`;

/** The household's time zone: "today" and balance dates are the household's, not the server's. */
export const householdTimeZone = (tx: Tx): Fragment => tx`(select time_zone from ledger.household_profile())`;

export const householdToday = (tx: Tx): Fragment => tx`(now() at time zone ${householdTimeZone(tx)})::date`;

export const baseCurrency = (tx: Tx): Fragment => tx`(select base_currency from ledger.household_profile())`;
