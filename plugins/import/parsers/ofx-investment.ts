// OFX investment statements (INVSTMTRS): trades, income, transfers and positions, each with its
// security (resolved through SECLIST for the name and ticker). The account is marked
// kind 'investment' and its `transactions` stay empty, so a cash-only importer cannot mistake a
// fund purchase for a withdrawal; the importer either books these into an investment account or
// refuses with investmentRefusal().

import { derivedExternalId, OccurrenceCounter } from './ids.ts';
import { dropUndefined, issuesToRow, ofxAmount, ofxDate, requireLeaf, type Issues } from './ofx-values.ts';
import { StatementError } from './errors.ts';
import { child, childText, elementPath, type OfxNode } from './ofx-tree.ts';
import type { InvestmentTransaction, Position, RowIssue, Security, StatementAccount } from './types.ts';

const SUBTYPE_FIELDS = ['BUYTYPE', 'SELLTYPE', 'INCOMETYPE', 'TFERACTION', 'OPTBUYTYPE', 'OPTSELLTYPE', 'OPTACTION', 'RELTYPE'];

function securityCatalog(seclists: OfxNode[]): Map<string, Security> {
  const map = new Map<string, Security>();
  for (const list of seclists) {
    for (const info of list.children) {
      const sec = child(info, 'SECINFO');
      const id = child(sec, 'SECID');
      const uniqueId = childText(id, 'UNIQUEID');
      if (!uniqueId) continue;
      map.set(`${childText(id, 'UNIQUEIDTYPE') ?? ''}:${uniqueId}`, dropUndefined({
        uniqueId, uniqueIdType: childText(id, 'UNIQUEIDTYPE') ?? '',
        ticker: childText(sec, 'TICKER'), name: childText(sec, 'SECNAME'),
        kind: info.name.replace(/INFO$/, '').toLowerCase(),
      }));
    }
  }
  return map;
}

function securityOf(node: OfxNode | undefined, catalog: Map<string, Security>): Security | undefined {
  const id = child(node, 'SECID');
  const uniqueId = childText(id, 'UNIQUEID');
  if (!uniqueId) return undefined;
  const uniqueIdType = childText(id, 'UNIQUEIDTYPE') ?? '';
  return catalog.get(`${uniqueIdType}:${uniqueId}`) ?? { uniqueId, uniqueIdType };
}

export function readInvestmentStatement(stmt: OfxNode, seclists: OfxNode[], rowErrors: RowIssue[], warnings: RowIssue[]): StatementAccount {
  const catalog = securityCatalog(seclists);
  const from = child(stmt, 'INVACCTFROM');
  const accountId = childText(from, 'ACCTID');
  if (!from || !accountId) {
    throw new StatementError('malformed', `<INVSTMTRS> has no <INVACCTFROM> with an <ACCTID>`, { line: (from ?? stmt).line, element: elementPath(from ?? stmt) });
  }
  const list = child(stmt, 'INVTRANLIST');
  const headIssues: Issues = [];
  const asOf = ofxDate(stmt, 'DTASOF', headIssues);
  const start = ofxDate(list, 'DTSTART', headIssues);
  const end = ofxDate(list, 'DTEND', headIssues);
  if (headIssues.length) warnings.push(issuesToRow(headIssues, elementPath(stmt)));

  const transactions: InvestmentTransaction[] = [];
  const counter = new OccurrenceCounter();
  const listPath = list ? elementPath(list) : '';
  const seen = new Map<string, number>();
  for (const trn of list?.children ?? []) {
    if (trn.name === 'DTSTART' || trn.name === 'DTEND') continue;
    const n = (seen.get(trn.name) ?? 0) + 1;
    seen.set(trn.name, n);
    const element = `${listPath}/${trn.name}[${n}]`;
    const tx = readInvestmentTransaction(trn, catalog, counter, accountId);
    if (Array.isArray(tx)) rowErrors.push(issuesToRow(tx.sort((a, b) => a.line - b.line), element));
    else transactions.push(tx);
  }

  const positions: Position[] = [];
  for (const pos of child(stmt, 'INVPOSLIST')?.children ?? []) {
    const inv = child(pos, 'INVPOS');
    const issues: Issues = [];
    const security = securityOf(inv, catalog);
    const units = ofxAmount(inv, 'UNITS', issues);
    const position = dropUndefined({
      security: security!, units: units!,
      unitPrice: ofxAmount(inv, 'UNITPRICE', issues), marketValue: ofxAmount(inv, 'MKTVAL', issues),
      priceDate: ofxDate(inv, 'DTPRICEASOF', issues),
      positionType: childText(inv, 'POSTYPE')?.toLowerCase(), heldIn: childText(inv, 'HELDINACCT')?.toLowerCase(),
    });
    if (!security) issues.push({ line: pos.line, reason: 'SECID is missing' });
    requireLeaf(inv, 'UNITS', issues, pos.line);
    if (issues.length) rowErrors.push(issuesToRow(issues, elementPath(pos)));
    else positions.push(position);
  }

  const balIssues: Issues = [];
  const bal = child(stmt, 'INVBAL');
  const investment = dropUndefined({
    transactions, positions, securities: [...catalog.values()], asOf,
    availableCash: ofxAmount(bal, 'AVAILCASH', balIssues),
    marginBalance: ofxAmount(bal, 'MARGINBALANCE', balIssues),
    shortBalance: ofxAmount(bal, 'SHORTBALANCE', balIssues),
    retirementTotal: ofxAmount(child(stmt, 'INV401KBAL'), 'TOTAL', balIssues),
  });
  if (balIssues.length) rowErrors.push(issuesToRow(balIssues));

  return dropUndefined({
    kind: 'investment' as const, type: 'investment' as const, rawType: 'INVESTMENT',
    accountId, bankId: childText(from, 'BROKERID'),
    currency: childText(stmt, 'CURDEF')?.toUpperCase(),
    period: start || end ? { start, end } : undefined,
    transactions: [], investment,
  });
}

function readInvestmentTransaction(trn: OfxNode, catalog: Map<string, Security>, counter: OccurrenceCounter, account: string): InvestmentTransaction | Issues {
  const issues: Issues = [];
  if (trn.name === 'INVBANKTRAN') {
    // Cash moving in or out of the brokerage account (deposits, fees): still investment-side.
    const st = child(trn, 'STMTTRN');
    const date = ofxDate(st, 'DTPOSTED', issues);
    const total = ofxAmount(st, 'TRNAMT', issues);
    requireLeaf(st, 'DTPOSTED', issues, trn.line);
    requireLeaf(st, 'TRNAMT', issues, trn.line);
    if (issues.length || !date || !total) return issues;
    const fitId = childText(st, 'FITID');
    const payee = childText(st, 'NAME');
    return dropUndefined({
      line: trn.line, action: 'invbanktran', date, total, payee, memo: childText(st, 'MEMO'),
      subtype: childText(st, 'TRNTYPE')?.toLowerCase(),
      externalId: fitId ?? derivedExternalId(counter, { account, date, amount: total, payee }),
      externalIdSource: fitId ? 'fitid' as const : 'derived' as const,
    });
  }
  // Trades nest their common fields in INVBUY/INVSELL; others carry them directly.
  const body = child(trn, 'INVBUY') ?? child(trn, 'INVSELL') ?? trn;
  const invtran = child(body, 'INVTRAN') ?? child(trn, 'INVTRAN');
  if (!invtran) return [{ line: trn.line, reason: `<${trn.name}> has no <INVTRAN>` }];
  const date = ofxDate(invtran, 'DTTRADE', issues);
  requireLeaf(invtran, 'DTTRADE', issues, invtran.line);
  const units = ofxAmount(body, 'UNITS', issues);
  const unitPrice = ofxAmount(body, 'UNITPRICE', issues);
  const total = ofxAmount(body, 'TOTAL', issues);
  const commission = ofxAmount(body, 'COMMISSION', issues);
  const fees = ofxAmount(body, 'FEES', issues);
  if (issues.length || !date) return issues;
  const fitId = childText(invtran, 'FITID');
  const security = securityOf(body, catalog) ?? securityOf(trn, catalog);
  const subtypeField = SUBTYPE_FIELDS.find((f) => childText(trn, f) ?? childText(body, f));
  return dropUndefined({
    line: trn.line, action: trn.name.toLowerCase(), date, security, units, unitPrice, total, commission, fees,
    memo: childText(invtran, 'MEMO'),
    subtype: subtypeField ? (childText(trn, subtypeField) ?? childText(body, subtypeField))!.toLowerCase() : undefined,
    externalId: fitId ?? derivedExternalId(counter, { account, date, amount: total ?? units ?? '0', payee: `${trn.name}:${security?.uniqueId ?? ''}` }),
    externalIdSource: fitId ? 'fitid' as const : 'derived' as const,
  });
}
