// A generated bank CSV of n rows (semicolon-separated, DD.MM.YYYY dates, decimal commas): about
// three years of dates, a few hundred payees, a memo per row. Shared by the tests and the bench.
export const BIG_CSV_MAPPING = {
  dateColumn: 'Date', dateFormat: 'DD.MM.YYYY', amountColumn: 'Amount', payeeColumn: 'Payee', memoColumn: 'Memo',
  decimalSeparator: ',', hasHeader: true,
};

export function bigCsv(n: number): string {
  const out = ['Date;Amount;Payee;Memo'];
  for (let i = 0; i < n; i++) {
    const d = new Date(Date.UTC(2022, 0, 1) + (i % 1100) * 86_400_000);
    const date = `${String(d.getUTCDate()).padStart(2, '0')}.${String(d.getUTCMonth() + 1).padStart(2, '0')}.${d.getUTCFullYear()}`;
    const cents = ((i * 7919) % 250_000) - 200_000;
    const amount = `${cents < 0 ? '-' : ''}${Math.floor(Math.abs(cents) / 100)},${String(Math.abs(cents) % 100).padStart(2, '0')}`;
    out.push(`${date};${amount};Merchant ${i % 397};Ref ${i}`);
  }
  return out.join('\n') + '\n';
}
