// The dates an import accepts. The parsers accept any calendar date of years 0001-9999, and so
// would PostgreSQL, but a bank statement dated 0001-01-01 or 9999-12-31 is a placeholder or a
// broken export, not a transaction: such a row is a failed line, never booked (and never widens
// the duplicate search past the calendar's end).
export const FIRST_DATE = '1900-01-01';
export const LAST_DATE = '2199-12-31';

/** 'YYYY-MM-DD' strings compare as dates. */
export const inDateRange = (date: string) => date >= FIRST_DATE && date <= LAST_DATE;

export const outOfRange = (date: string) => `date ${date} is outside the dates an import accepts (${FIRST_DATE} to ${LAST_DATE})`;
