// QIF (Quicken Interchange Format): '!Type:Bank' (Cash, CCard, Oth A, Oth L) sections of records,
// one field per line (D date, T/U amount, P payee, M memo, N number, L category), each record
// ended by '^'. '!Account' blocks name the account the following sections belong to.
// '!Type:Invst' records become investment transactions (N action, Y security, Q units, I price,
// T total, O commission) on an account of kind 'investment'. List sections (Cat, Class, Memorized,
// Prices...) are skipped; '!Type:Security' feeds security tickers.

import { parseAmount, type DecimalSeparator } from './amounts.ts';
import { detectQifDateOrder, parseQifDate, type QifDateOrder } from './dates.ts';
import { StatementError } from './errors.ts';
import { derivedExternalId, OccurrenceCounter } from './ids.ts';
import { dropUndefined, issuesToRow, type Issues } from './ofx-values.ts';
import type { InvestmentTransaction, RowIssue, Security, StatementAccount, StatementAccountType, StatementTransaction } from './types.ts';

export interface QifOptions {
  /** Day/month order of dates; 'auto' (default) looks at every date in the file. */
  dateOrder?: QifDateOrder | 'auto';
  /** Default 'auto': ',' only when the amounts are plainly written with decimal commas. */
  decimalSeparator?: DecimalSeparator | 'auto';
  /** Identifies the target account in derived ids; defaults to the QIF account name. */
  accountKey?: string;
}

export interface QifParseResult {
  accounts: StatementAccount[];
  rowErrors: RowIssue[];
  warnings: RowIssue[];
}

const CASH_TYPES: Record<string, StatementAccountType> = {
  bank: 'checking', cash: 'cash', ccard: 'credit-card', 'oth a': 'other-asset', 'oth l': 'other-liability',
};
const INVESTMENT_TYPES = new Set(['invst', 'port']);
const FIELD_NAMES: Record<string, string> = { T: 'T (amount)', U: 'U (amount)', Q: 'Q (quantity)', I: 'I (price)', O: 'O (commission)' };
const RAW_TYPES: Record<string, string> = { bank: 'Bank', cash: 'Cash', ccard: 'CCard', 'oth a': 'Oth A', 'oth l': 'Oth L', invst: 'Invst', port: 'Port' };
// QIF writes investment amounts unsigned and lets the action carry the direction; sign them the
// way OFX does so both formats read alike: cash paid out negative, shares leaving negative.
const CASH_OUT_ACTIONS = new Set(['buy', 'buyx', 'miscexp', 'miscexpx', 'margint', 'margintx', 'xout', 'withdrwx']);
const SHARES_OUT_ACTIONS = new Set(['sell', 'sellx', 'shrsout']);
const negative = (v: string | undefined) => (v === undefined || v.startsWith('-') || /^[0.]+$/.test(v) ? v : `-${v}`);

interface Field { code: string; value: string; line: number }
interface QifRecord { section: string; account?: { name: string; type?: string }; fields: Field[]; line: number }

function readRecords(text: string, warnings: RowIssue[]): QifRecord[] {
  const records: QifRecord[] = [];
  const lines = text.split(/\r\n|\n|\r/);
  let section = '';
  let account: QifRecord['account'];
  let fields: Field[] = [];
  let sawHeader = false;
  const flush = (line: number) => {
    if (fields.length === 0) return;
    if (section === 'account') {
      const name = fields.find((f) => f.code === 'N')?.value;
      if (name) account = { name, type: fields.find((f) => f.code === 'T')?.value };
    } else {
      records.push({ section, account, fields, line: fields[0]?.line ?? line });
    }
    fields = [];
  };
  lines.forEach((raw, i) => {
    const line = i + 1;
    const text = i === 0 ? raw.replace(/^\uFEFF/, '') : raw;
    if (text.trim() === '') return;
    if (text.startsWith('!')) {
      if (fields.length) {
        warnings.push({ line: fields[0].line, reason: `record is not ended by '^' before '${text.trim()}'` });
        flush(line);
      }
      sawHeader = true;
      const header = text.trim();
      const type = /^!Type\s*:\s*(.+)$/i.exec(header)?.[1].trim().toLowerCase();
      if (type !== undefined) section = type;
      else if (/^!Account\b/i.test(header)) section = 'account';
      // !Option:AutoSwitch / !Clear:AutoSwitch only bracket account lists: nothing to do.
      return;
    }
    if (!sawHeader) { sawHeader = true; section = 'bank'; warnings.push({ line, reason: "the file has no '!Type:' line; read as a bank account" }); }
    if (text.trim() === '^') { flush(line); return; }
    fields.push({ code: text[0], value: text.slice(1).trim(), line });
  });
  if (fields.length) {
    warnings.push({ line: fields[0].line, reason: "the last record is not ended by '^'" });
    flush(lines.length);
  }
  return records;
}

function chooseDecimal(records: QifRecord[]): DecimalSeparator {
  let comma = 0, dot = 0;
  for (const r of records) for (const f of r.fields) {
    if (f.code !== 'T' && f.code !== 'U') continue;
    if (/,\d{1,2}$/.test(f.value)) comma++;
    else if (/\.\d{1,2}$/.test(f.value)) dot++;
  }
  return comma > 0 && dot === 0 ? ',' : '.';
}

export function parseQif(text: string, options: QifOptions = {}): QifParseResult {
  const rowErrors: RowIssue[] = [];
  const warnings: RowIssue[] = [];
  const records = readRecords(text, warnings);
  if (records.length === 0 && !/^\s*!/m.test(text)) throw new StatementError('malformed', 'no QIF records found', { line: 1 });

  const securities = new Map<string, Security>();
  for (const r of records) {
    if (r.section !== 'security') continue;
    const name = r.fields.find((f) => f.code === 'N')?.value;
    if (name) securities.set(name, dropUndefined({ uniqueId: r.fields.find((f) => f.code === 'S')?.value ?? name, uniqueIdType: 'TICKER', ticker: r.fields.find((f) => f.code === 'S')?.value, name, kind: r.fields.find((f) => f.code === 'T')?.value?.toLowerCase() }));
  }

  const relevant = records.filter((r) => Object.hasOwn(CASH_TYPES, r.section) || INVESTMENT_TYPES.has(r.section));
  const dates = relevant.flatMap((r) => r.fields.filter((f) => f.code === 'D').map((f) => f.value));
  let order: QifDateOrder;
  if (options.dateOrder && options.dateOrder !== 'auto') order = options.dateOrder;
  else {
    const detected = detectQifDateOrder(dates);
    order = detected.order;
    if (detected.conflict) warnings.push({ line: relevant[0]?.line ?? 1, reason: 'some dates are day-first and others month-first; read as month/day/year' });
    else if (detected.ambiguous) warnings.push({ line: relevant[0]?.line ?? 1, reason: `no date in the file shows whether it is day-first or month-first; read as ${order === 'DMY' ? 'day/month/year' : 'month/day/year'}` });
  }
  const decimalSeparator = options.decimalSeparator && options.decimalSeparator !== 'auto' ? options.decimalSeparator : chooseDecimal(relevant);

  const accounts = new Map<string, StatementAccount>();
  const counters = new Map<StatementAccount, OccurrenceCounter>();
  const accountFor = (r: QifRecord): StatementAccount => {
    const investment = INVESTMENT_TYPES.has(r.section);
    const key = `${r.account?.name ?? ''}\u0000${investment ? 'invst' : r.section}`;
    let acc = accounts.get(key);
    if (!acc) {
      acc = dropUndefined({
        kind: investment ? 'investment' as const : 'cash' as const,
        type: investment ? 'investment' as const : CASH_TYPES[r.section],
        rawType: RAW_TYPES[r.section] ?? r.section,
        name: r.account?.name,
        transactions: [],
        investment: investment ? { transactions: [], positions: [], securities: [] } : undefined,
      });
      accounts.set(key, acc);
      counters.set(acc, new OccurrenceCounter());
    }
    return acc;
  };

  for (const r of relevant) {
    const acc = accountFor(r);
    const accountKey = options.accountKey ?? acc.name ?? '';
    const get = (code: string) => r.fields.find((f) => f.code === code);
    const issues: Issues = [];
    const dateField = get('D');
    let date: string | undefined;
    if (!dateField || dateField.value === '') issues.push({ line: r.line, reason: 'the record has no date (D line)' });
    else {
      const d = parseQifDate(dateField.value, order);
      if (d.ok) date = d.value;
      else issues.push({ line: dateField.line, reason: `date '${dateField.value}' is not a valid date (${d.reason})` });
    }
    const amountOf = (code: string): string | undefined => {
      const f = get(code);
      if (!f || f.value === '') return undefined;
      const a = parseAmount(f.value, { decimalSeparator });
      if (a.ok) return a.value;
      issues.push({ line: f.line, reason: `${FIELD_NAMES[code] ?? code} ${a.reason}` });
      return undefined;
    };
    const text = (code: string) => { const v = get(code)?.value; return v === undefined || v === '' ? undefined : v; };

    if (acc.kind === 'investment') {
      const action = text('N');
      if (!action) issues.push({ line: r.line, reason: 'the investment record has no action (N line)' });
      const verb = action?.toLowerCase() ?? '';
      const writtenTotal = amountOf('T') ?? amountOf('U');
      const total = CASH_OUT_ACTIONS.has(verb) ? negative(writtenTotal) : writtenTotal;
      const writtenUnits = amountOf('Q');
      const units = SHARES_OUT_ACTIONS.has(verb) ? negative(writtenUnits) : writtenUnits;
      const unitPrice = amountOf('I');
      const commission = amountOf('O');
      if (issues.length || !date || !action) { rowErrors.push(issuesToRow(issues)); continue; }
      const securityName = text('Y');
      const security = securityName ? securities.get(securityName) ?? { uniqueId: securityName, uniqueIdType: 'NAME', name: securityName } : undefined;
      const tx: InvestmentTransaction = dropUndefined({
        line: r.line, action: verb, date, security, units, unitPrice, total, commission,
        payee: text('P'), memo: text('M'),
        externalId: derivedExternalId(counters.get(acc)!, { account: accountKey, date, amount: total ?? units ?? '0', payee: `${action}:${securityName ?? text('P') ?? ''}` }),
        externalIdSource: 'derived' as const,
      });
      acc.investment!.transactions.push(tx);
      if (security && !acc.investment!.securities.some((s) => s.uniqueId === security.uniqueId)) acc.investment!.securities.push(security);
      continue;
    }

    const amount = amountOf('T') ?? amountOf('U');
    if (!get('T')?.value && !get('U')?.value) issues.push({ line: r.line, reason: 'the record has no amount (T line)' });
    if (issues.length || !date || amount === undefined) { rowErrors.push(issuesToRow(issues.sort((a, b) => a.line - b.line))); continue; }
    const payee = text('P');
    const tx: StatementTransaction = {
      line: r.line, date, amount,
      externalId: derivedExternalId(counters.get(acc)!, { account: accountKey, date, amount, payee }),
      externalIdSource: 'derived',
    };
    if (payee !== undefined) tx.payee = payee;
    const memo = text('M'), checkNumber = text('N'), category = text('L');
    if (memo !== undefined) tx.memo = memo;
    if (checkNumber !== undefined) tx.checkNumber = checkNumber;
    if (category !== undefined) tx.category = category;
    acc.transactions.push(tx);
  }

  if (accounts.size === 0) {
    throw new StatementError('no-accounts', 'the QIF file holds no bank, cash, credit card or investment transactions', { line: records[0]?.line ?? 1 });
  }
  return { accounts: [...accounts.values()], rowErrors, warnings };
}
