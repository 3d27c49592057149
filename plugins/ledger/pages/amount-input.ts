// Amounts as people type them into a form: "1,234.56", "$12.00", "-€5", "+3". The API stays strict
// (a decimal string); the forms take these unambiguous spellings. A comma is only a thousands
// separator in groups of three before an optional point: "12,50" stays refused with the message
// naming the field, rather than guessed as 12.50 or 1,250.
const TYPED = /^([+-]?)\s*[$€£¥]?\s*([+-]?)(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?$/;

export function amountFromForm(raw: string | null | undefined): string {
  const text = (raw ?? '').trim();
  const m = TYPED.exec(text);
  if (!m || (m[1] && m[2])) return text; // not one of these spellings: the schema says why
  const sign = (m[1] || m[2]) === '-' ? '-' : '';
  return `${sign}${m[3].replaceAll(',', '')}${m[4] ?? ''}`;
}
