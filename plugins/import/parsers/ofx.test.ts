import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, it } from 'node:test';
import { investmentRefusal, parseStatement, StatementError } from './index.ts';

const own = (name: string) => readFileSync(resolve(import.meta.dirname, '../test-fixtures/own', name));
const parse = (name: string) => parseStatement(own(name), { filename: name });
const text = (s: string) => new TextEncoder().encode(s);

function failure(fn: () => unknown): StatementError {
  try { fn(); } catch (e) { if (e instanceof StatementError) return e; throw e; }
  assert.fail('expected a StatementError');
}

const SGML_HEAD = 'OFXHEADER:100\nDATA:OFXSGML\nVERSION:102\nSECURITY:NONE\nENCODING:USASCII\nCHARSET:1252\nCOMPRESSION:NONE\nOLDFILEUID:NONE\nNEWFILEUID:NONE\n\n';

describe('OFX structure errors name the line at fault', () => {
  it('an aggregate left open is reported where it opened and where it was noticed', () => {
    const e = failure(() => parse('malformed-unclosed-aggregate.ofx'));
    assert.equal(e.code, 'malformed');
    assert.equal(e.line, 21);
    assert.equal(e.message, 'line 21: <STMTTRN> is not closed before </BANKTRANLIST> on line 34');
    assert.equal(e.element, 'OFX/BANKMSGSRSV1/STMTTRNRS/STMTRS/BANKTRANLIST/STMTTRN');
  });

  it('a file cut short says which element is open and where the file ends', () => {
    const e = failure(() => parse('malformed-truncated.ofx'));
    assert.equal(e.message, 'line 27: <STMTTRN> is never closed: the file ends at line 28; is it cut short?');
  });

  it('a closing tag with nothing to close', () => {
    const e = failure(() => parseStatement(text(`${SGML_HEAD}<OFX>\n<BANKMSGSRSV1>\n</STMTRS>\n</BANKMSGSRSV1></OFX>`)));
    assert.equal(e.message, 'line 13: </STMTRS> does not close any open element (the innermost open one is <BANKMSGSRSV1> from line 12)');
  });

  it('text inside an aggregate', () => {
    const e = failure(() => parseStatement(text(`${SGML_HEAD}<OFX>\n<BANKMSGSRSV1>\n<STMTTRNRS>oops\n<TRNUID>1\n</STMTTRNRS></BANKMSGSRSV1></OFX>`)));
    assert.equal(e.message, "line 13: unexpected text 'oops' inside <STMTTRNRS>");
  });

  it('a statement without an account id, and a file without statements', () => {
    const noAcct = failure(() => parseStatement(text(`${SGML_HEAD}<OFX><BANKMSGSRSV1><STMTTRNRS><STMTRS>\n<CURDEF>USD\n<BANKACCTFROM><BANKID>1</BANKACCTFROM>\n</STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>`)));
    assert.equal(noAcct.message, 'line 13: <STMTRS> has no <BANKACCTFROM> with an <ACCTID>');
    const none = failure(() => parseStatement(text(`${SGML_HEAD}<OFX>\n</OFX>`)));
    assert.equal(none.code, 'no-accounts');
  });

  it('a sign-on error response is reported with the institution message', () => {
    const e = failure(() => parse('signon-error.ofx'));
    assert.equal(e.code, 'no-accounts');
    assert.equal(e.message, 'line 14: the institution returned error 15500: Invalid user ID or password and no statement');
  });
});

describe('OFX values', () => {
  it('bad dates and amounts are row errors at their own line; good rows still import', () => {
    const st = parse('bad-values.ofx');
    const acc = st.accounts[0];
    assert.deepEqual([acc.type, acc.accountId], ['savings', '5550001']);
    assert.deepEqual(st.rowErrors.map((e) => `line ${e.line}: ${e.reason}`), [
      "line 15: DTPOSTED '2024-13-45' is not a valid date (expected YYYYMMDD[HHMMSS[.XXX]][[offset:TZ]])",
      "line 16: DTPOSTED '20240230' is not a valid date (day 30 of 2024-02)",
      "line 17: TRNAMT '1,000.00' is not a valid amount (OFX amounts have a single decimal separator and no grouping)",
      'line 18: TRNAMT is missing',
    ]);
    assert.equal(st.rowErrors[1].element, 'OFX/BANKMSGSRSV1/STMTTRNRS/STMTRS/BANKTRANLIST/STMTTRN[2]');
    assert.equal(acc.transactions.length, 1);
    // The OFX spec allows a decimal comma; the EST offset does not move the date.
    assert.deepEqual([acc.transactions[0].date, acc.transactions[0].amount, acc.transactions[0].payee], ['2024-03-03', '12.50', 'Decimal Comma']);
    assert.deepEqual(acc.balance, { amount: '500.00', date: '2024-03-31' });
  });

  it('OFX 2.x XML credit card: entities, dates as written in any zone, DTUSER, foreign currency, PAYEE aggregate', () => {
    const st = parse('ofx2-creditcard.ofx');
    assert.deepEqual([st.format, st.version, st.encoding], ['ofx', '220', 'utf-8']);
    const acc = st.accounts[0];
    assert.deepEqual([acc.kind, acc.type, acc.accountId, acc.currency], ['cash', 'credit-card', '4111********1111', 'USD']);
    assert.deepEqual(acc.balance, { amount: '-1234.56', date: '2024-01-31' });
    assert.deepEqual(acc.availableBalance, { amount: '3765.44', date: '2024-01-31' });
    const [first, second, third] = acc.transactions;
    // 23:30 EST is 04:30 UTC the next day; the statement says the 2nd, so the 2nd it is.
    assert.deepEqual([first.date, first.userDate, first.amount, first.payee, first.memo, first.externalId],
      ['2024-01-02', '2024-01-01', '-45.10', 'Barnes & Noble #123', 'Books <gift>', '2024010200001']);
    assert.deepEqual([second.date, second.amount, second.currency], ['2024-01-15', '-1200', 'JPY']);
    assert.deepEqual([third.date, third.amount, third.payee, third.memo, third.line], ['2024-01-31', '500.00', 'Payment - Thank You', undefined, 38]);
  });

  it('two statements in one file become two accounts; repeated FITIDs are kept apart unless identical', () => {
    const st = parse('multi-statement.ofx');
    assert.deepEqual(st.accounts.map((a) => [a.accountId, a.type, a.currency, a.balance?.amount, a.transactions.length]), [
      ['CHK-1', 'checking', 'EUR', '800.00', 4],
      ['SAV-2', 'savings', 'EUR', '10200.42', 2],
    ]);
    const chk = st.accounts[0].transactions;
    assert.deepEqual([chk[0].payee, chk[0].memo], ['To savings', undefined]); // empty SGML <MEMO>
    assert.deepEqual(chk.map((t) => t.externalId), ['X1', 'X2', 'X2#2', 'X2#3']);
    assert.deepEqual(st.warnings.map((w) => w.line), [20, 21]);
    const interest = st.accounts[1].transactions[1];
    assert.equal(interest.externalIdSource, 'derived');
    assert.match(interest.externalId, /^h1:[0-9a-f]{32}$/);
    assert.equal(interest.externalId, parse('multi-statement.ofx').accounts[1].transactions[1].externalId);
  });

  it('an identical repeated FITID keeps one id (a true duplicate), with a warning', () => {
    const trn = '<STMTTRN><TRNTYPE>DEBIT<DTPOSTED>20240101<TRNAMT>-1.00<FITID>SAME<NAME>Twice</STMTTRN>\n';
    const st = parseStatement(text(`${SGML_HEAD}<OFX><BANKMSGSRSV1><STMTTRNRS><STMTRS><BANKACCTFROM><ACCTID>9</BANKACCTFROM><BANKTRANLIST>\n${trn}${trn}</BANKTRANLIST></STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>`));
    assert.deepEqual(st.accounts[0].transactions.map((t) => t.externalId), ['SAME', 'SAME']);
    assert.equal(st.warnings[0].reason, "FITID 'SAME' is also used on line 12 for the same transaction");
  });

  it('CHARSET:1252 is honoured; a UTF-8 file that claims 1252 is read as UTF-8 and says so', () => {
    const latin = parse('windows-1252.ofx');
    assert.equal(latin.encoding, 'windows-1252');
    assert.deepEqual([latin.accounts[0].transactions[0].payee, latin.accounts[0].transactions[0].memo], ['Café de la Gare', 'Carte 12€']);
    assert.deepEqual(latin.warnings, []);
    const liar = parse('utf8-declared-1252.ofx');
    assert.equal(liar.encoding, 'utf-8');
    assert.equal(liar.accounts[0].transactions[0].payee, 'Café de la Gare');
    assert.deepEqual(liar.warnings, [{ line: 1, reason: 'the file declares windows-1252 but its bytes are UTF-8; read as UTF-8' }]);
  });
});

describe('OFX investment statements', () => {
  it('brokerage XML: buys, income, sells and bank moves as investment transactions with securities resolved', () => {
    const st = parse('investment-brokerage.ofx');
    const acc = st.accounts[0];
    assert.deepEqual([acc.kind, acc.accountId, acc.bankId], ['investment', 'Z-998877', 'broker.example.com']);
    assert.deepEqual(acc.transactions, []);
    const inv = acc.investment!;
    assert.deepEqual(inv.transactions.map((t) => [t.action, t.subtype, t.date, t.security?.ticker, t.units, t.unitPrice, t.total, t.commission, t.externalId]), [
      ['buystock', 'buy', '2024-01-05', 'ACME', '10', '150.25', '-1507.45', '4.95', 'T-100'],
      ['income', 'div', '2024-02-15', 'ACME', undefined, undefined, '8.40', undefined, 'T-101'],
      ['sellstock', 'sell', '2024-03-20', 'ACME', '-4', '160.00', '635.05', '4.95', 'T-102'],
      ['invbanktran', 'credit', '2024-01-02', undefined, undefined, undefined, '5000.00', undefined, 'T-099'],
    ]);
    assert.equal(inv.transactions[0].security?.name, 'Acme Corp & Sons');
    assert.deepEqual(st.rowErrors, [{
      line: 55, reason: "DTTRADE '20240399' is not a valid date (day 99 of 2024-03)",
      element: 'OFX/INVSTMTMSGSRSV1/INVSTMTTRNRS/INVSTMTRS/INVTRANLIST/INCOME[2]',
    }]);
    assert.deepEqual(inv.positions, [{
      security: { uniqueId: '000000001', uniqueIdType: 'CUSIP', ticker: 'ACME', name: 'Acme Corp & Sons', kind: 'stock' },
      units: '6', unitPrice: '161.10', marketValue: '966.60', priceDate: '2024-03-31', positionType: 'long', heldIn: 'cash',
    }]);
    assert.deepEqual([inv.availableCash, inv.marginBalance, inv.asOf], ['4136.00', '0.00', '2024-03-31']);
    assert.match(investmentRefusal(st)!, /^This is an investment statement for Z-998877 \(4 investment transactions, 1 position\)/);
  });

  it('a cash statement is not refused', () => {
    assert.equal(investmentRefusal(parse('ofx2-creditcard.ofx')), undefined);
  });
});

describe('OFX leniency where servers are known to bend the spec', () => {
  const wrap = (trn: string, tail = '') => text(`${SGML_HEAD}<OFX><BANKMSGSRSV1><STMTTRNRS><STMTRS><BANKACCTFROM><ACCTID>9</BANKACCTFROM><BANKTRANLIST>\n${trn}\n</BANKTRANLIST></STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>${tail}`);

  it('CURRENCY and PAYEE written as leaves, an unescaped "<" and "&" in values, a trailer after </OFX>', () => {
    const st = parseStatement(wrap('<STMTTRN><TRNTYPE>DEBIT<DTPOSTED>20240101<TRNAMT>-1.00<FITID>L1<PAYEE>AT&T Wireless\n<CURRENCY>EUR<MEMO>a < b</STMTTRN>', '\n-- end of download --\n'));
    const t = st.accounts[0].transactions[0];
    assert.deepEqual([t.payee, t.currency, t.memo], ['AT&T Wireless', 'EUR', 'a < b']);
  });

  it('ORIGCURRENCY does not relabel the amount (it is already in CURDEF); CURRENCY does', () => {
    const st = parseStatement(wrap('<STMTTRN><TRNTYPE>DEBIT<DTPOSTED>20240101<TRNAMT>-10.00<FITID>O1<NAME>Abroad<ORIGCURRENCY><CURRATE>1.1<CURSYM>GBP</ORIGCURRENCY></STMTTRN>'));
    assert.equal(st.accounts[0].transactions[0].currency, undefined);
  });

  it('XML comments and CDATA are handled', () => {
    const st = parseStatement(wrap('<!-- a comment --><STMTTRN><TRNTYPE>DEBIT</TRNTYPE><DTPOSTED>20240101</DTPOSTED><TRNAMT>-1.00</TRNAMT><FITID>C1</FITID><NAME><![CDATA[Fish & <Chips>]]></NAME></STMTTRN>'));
    assert.equal(st.accounts[0].transactions[0].payee, 'Fish & <Chips>');
  });
});
