// A small OFX 1.x bank statement built in a test, one STMTTRN per row (each starts on a known line).
export type OfxRow = { posted: string; amount: string; fitId: string; name: string; user?: string };

export function ofxStatement(rows: OfxRow[], balance?: { amount: string; asOf: string }): string {
  const head = [
    'OFXHEADER:100', 'DATA:OFXSGML', 'VERSION:102', 'ENCODING:USASCII', 'CHARSET:1252', '',
    '<OFX><BANKMSGSRSV1><STMTTRNRS><TRNUID>0<STMTRS><CURDEF>USD',
    '<BANKACCTFROM><BANKID>111<ACCTID>222<ACCTTYPE>CHECKING</BANKACCTFROM>',
    '<BANKTRANLIST>',
  ];
  const trns = rows.map((r) => `<STMTTRN><TRNTYPE>DEBIT<DTPOSTED>${r.posted}${r.user ? `<DTUSER>${r.user}` : ''}<TRNAMT>${r.amount}<FITID>${r.fitId}<NAME>${r.name}</STMTTRN>`);
  const tail = ['</BANKTRANLIST>', ...(balance ? [`<LEDGERBAL><BALAMT>${balance.amount}<DTASOF>${balance.asOf}</LEDGERBAL>`] : []), '</STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>', ''];
  return [...head, ...trns, ...tail].join('\n');
}

/** The line of row i (0-based) in ofxStatement's text. */
export const ofxLine = (i: number) => 10 + i;
