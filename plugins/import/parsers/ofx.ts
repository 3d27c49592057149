// OFX/QFX statements (1.x SGML and 2.x XML) -> normalized accounts. Bank (STMTRS) and credit card
// (CCSTMTRS) statements give cash transactions; investment statements (INVSTMTRS) are read in
// ofx-investment.ts and never produce cash transactions.

import { StatementError } from './errors.ts';
import { derivedExternalId, OccurrenceCounter } from './ids.ts';
import { readInvestmentStatement } from './ofx-investment.ts';
import { dropUndefined, issuesToRow, ofxAmount, ofxDate, requireLeaf, type Issues } from './ofx-values.ts';
import { child, childText, elementPath, findAll, parseOfxTree, type OfxNode } from './ofx-tree.ts';
import type { Balance, RowIssue, StatementAccount, StatementAccountType, StatementTransaction } from './types.ts';

export interface OfxParseResult {
  version?: string;
  accounts: StatementAccount[];
  rowErrors: RowIssue[];
  warnings: RowIssue[];
}

const ACCOUNT_TYPES: Record<string, StatementAccountType> = {
  CHECKING: 'checking', SAVINGS: 'savings', MONEYMRKT: 'money-market', CREDITLINE: 'credit-line', CD: 'savings',
};

export function parseOfx(text: string): OfxParseResult {
  const { header, root } = parseOfxTree(text);
  const rowErrors: RowIssue[] = [];
  const warnings: RowIssue[] = [];
  const accounts: StatementAccount[] = [];
  const securities = findAll(root, 'SECLIST');

  for (const stmt of findAll(root, 'STMTRS')) accounts.push(readCashStatement(stmt, 'BANKACCTFROM', rowErrors, warnings));
  for (const stmt of findAll(root, 'CCSTMTRS')) accounts.push(readCashStatement(stmt, 'CCACCTFROM', rowErrors, warnings));
  for (const stmt of findAll(root, 'INVSTMTRS')) accounts.push(readInvestmentStatement(stmt, securities, rowErrors, warnings));

  if (accounts.length === 0) {
    // A response without statements is usually the bank reporting an error: say what it said.
    const status = [...findAll(root, 'STMTTRNRS'), ...findAll(root, 'CCSTMTTRNRS'), ...findAll(root, 'INVSTMTTRNRS'), ...findAll(root, 'SONRS')]
      .map((rs) => child(rs, 'STATUS')).find((s) => s && childText(s, 'CODE') !== '0');
    if (status) {
      throw new StatementError('no-accounts', `the institution returned error ${childText(status, 'CODE')}${childText(status, 'MESSAGE') ? `: ${childText(status, 'MESSAGE')}` : ''} and no statement`, { line: status.line });
    }
    throw new StatementError('no-accounts', 'the file holds no bank, credit card or investment statement (no <STMTRS>, <CCSTMTRS> or <INVSTMTRS>)', { line: root.line });
  }
  return { version: header.VERSION, accounts, rowErrors, warnings };
}

function readBalance(node: OfxNode | undefined, rowErrors: RowIssue[]): Balance | undefined {
  if (!node) return undefined;
  const issues: Issues = [];
  const amount = ofxAmount(node, 'BALAMT', issues);
  const date = ofxDate(node, 'DTASOF', issues);
  if (issues.length) rowErrors.push(issuesToRow(issues, elementPath(node)));
  return amount === undefined ? undefined : { amount, ...(date ? { date } : {}) };
}

function readCashStatement(stmt: OfxNode, fromName: string, rowErrors: RowIssue[], warnings: RowIssue[]): StatementAccount {
  const from = child(stmt, fromName);
  const accountId = childText(from, 'ACCTID');
  if (!from || !accountId) {
    throw new StatementError('malformed', `<${stmt.name}> has no <${fromName}> with an <ACCTID>`, { line: (from ?? stmt).line, element: elementPath(from ?? stmt) });
  }
  const rawType = fromName === 'CCACCTFROM' ? 'CREDITCARD' : childText(from, 'ACCTTYPE')?.toUpperCase();
  const type: StatementAccountType = fromName === 'CCACCTFROM' ? 'credit-card' : ACCOUNT_TYPES[rawType ?? ''] ?? 'unknown';
  const list = child(stmt, 'BANKTRANLIST');
  const periodIssues: Issues = [];
  const start = ofxDate(list, 'DTSTART', periodIssues);
  const end = ofxDate(list, 'DTEND', periodIssues);
  if (periodIssues.length) warnings.push(issuesToRow(periodIssues, elementPath(list!)));

  const account: StatementAccount = {
    kind: 'cash', type, rawType, accountId,
    bankId: childText(from, 'BANKID'), branchId: childText(from, 'BRANCHID'),
    currency: childText(stmt, 'CURDEF')?.toUpperCase(),
    balance: readBalance(child(stmt, 'LEDGERBAL'), rowErrors),
    availableBalance: readBalance(child(stmt, 'AVAILBAL'), rowErrors),
    period: start || end ? { start, end } : undefined,
    transactions: [],
  };
  dropUndefined(account);

  const counter = new OccurrenceCounter();
  const fitIds = new Map<string, { first: StatementTransaction; repeats: number }>();
  const listPath = list ? elementPath(list) : '';
  let index = 0;
  for (const trn of list?.children ?? []) {
    if (trn.name !== 'STMTTRN') continue;
    index++;
    const element = `${listPath}/STMTTRN[${index}]`; // a cheap rope; flattened only if shown
    const issues: Issues = [];
    const date = ofxDate(trn, 'DTPOSTED', issues);
    const amount = ofxAmount(trn, 'TRNAMT', issues);
    requireLeaf(trn, 'DTPOSTED', issues, trn.line);
    requireLeaf(trn, 'TRNAMT', issues, trn.line);
    const userDate = ofxDate(trn, 'DTUSER', []);
    if (issues.length || !date || !amount) {
      rowErrors.push(issuesToRow(issues.sort((a, b) => a.line - b.line), element));
      continue;
    }
    const payeeNode = child(trn, 'PAYEE');
    const payee = childText(trn, 'NAME') ?? childText(payeeNode, 'NAME') ?? (payeeNode?.text || undefined) ?? childText(trn, 'EXTDNAME');
    const fitId = childText(trn, 'FITID');
    // <CURRENCY>: TRNAMT is in that currency. <ORIGCURRENCY> only tells where it came from: TRNAMT
    // is already in the account's CURDEF, so it must not relabel the amount.
    const currencyNode = child(trn, 'CURRENCY');
    const correctFitId = childText(trn, 'CORRECTFITID');
    const correctAction = childText(trn, 'CORRECTACTION')?.toUpperCase();
    const tx: StatementTransaction = {
      line: trn.line, date, amount,
      externalId: fitId ?? derivedExternalId(counter, { account: accountId, date, amount, payee }),
      externalIdSource: fitId ? 'fitid' : 'derived',
    };
    // Optional fields are only set when present (no `undefined` keys, no `delete` on hot objects).
    if (payee !== undefined) tx.payee = payee;
    const memo = childText(trn, 'MEMO');
    if (memo !== undefined) tx.memo = memo;
    const checkNumber = childText(trn, 'CHECKNUM');
    if (checkNumber !== undefined) tx.checkNumber = checkNumber;
    const type = childText(trn, 'TRNTYPE');
    if (type !== undefined) tx.type = type.toLowerCase();
    if (userDate && userDate !== date) tx.userDate = userDate;
    const currency = childText(currencyNode, 'CURSYM') ?? (currencyNode?.text || undefined);
    if (currency !== undefined) tx.currency = currency.toUpperCase();
    if (correctFitId && (correctAction === 'REPLACE' || correctAction === 'DELETE')) {
      tx.correction = { action: correctAction === 'REPLACE' ? 'replace' : 'delete', fitId: correctFitId };
    }
    if (fitId) {
      // Some banks reuse a FITID for different transactions; an identical repeat is a true
      // duplicate, a different one gets a suffix so it is not silently dropped on import.
      const seen = fitIds.get(fitId);
      if (seen) {
        const first = seen.first;
        const same = first.date === tx.date && first.amount === tx.amount && first.payee === tx.payee;
        warnings.push({ line: trn.line, element, reason: `FITID '${fitId}' is also used on line ${first.line}${same ? ' for the same transaction' : '; kept as a separate transaction'}` });
        if (!same) tx.externalId = `${fitId}#${++seen.repeats + 1}`;
      } else fitIds.set(fitId, { first: tx, repeats: 0 });
    }
    account.transactions.push(tx);
  }
  return account;
}
