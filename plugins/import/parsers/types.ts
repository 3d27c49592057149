// The normalized shape every statement parser (OFX/QFX, QIF, CSV) returns. Pure data: dates are
// 'YYYY-MM-DD' as written in the file (no time zone conversion), money is an exact decimal string
// ('-1234.56'), negative = money out of the account.

export type StatementFormat = 'ofx' | 'qfx' | 'qif' | 'csv';

/** A problem tied to one place in the file; the rest of the file still parsed. */
export interface RowIssue {
  /** 1-based line in the decoded text where the record (or element) starts. */
  line: number;
  reason: string;
  /** OFX element path, e.g. 'STMTRS/BANKTRANLIST/STMTTRN[2]'. */
  element?: string;
}

export interface StatementTransaction {
  /** 1-based line where the record starts (for messages and previews). */
  line: number;
  date: string;
  amount: string;
  payee?: string;
  memo?: string;
  /** Stable id for idempotent re-import: the FITID, a mapped id column, or a derived hash. */
  externalId: string;
  externalIdSource: 'fitid' | 'column' | 'derived';
  checkNumber?: string;
  /** OFX TRNTYPE (DEBIT, POS, CHECK...) or QIF cleared flag is not this; lower-case OFX type. */
  type?: string;
  /** QIF L line (category or [transfer account]). */
  category?: string;
  /** OFX DTUSER: the date the user initiated the transaction, when different from posting. */
  userDate?: string;
  /** Currency of `amount` when it differs from the account's (OFX <CURRENCY>; <ORIGCURRENCY> amounts are in CURDEF). */
  currency?: string;
  /** OFX corrections: this transaction replaces or deletes the one with that FITID. */
  correction?: { action: 'replace' | 'delete'; fitId: string };
}

export interface Security {
  uniqueId: string;
  uniqueIdType: string;
  ticker?: string;
  name?: string;
  kind?: string;
}

export interface InvestmentTransaction {
  line: number;
  /** The OFX aggregate (buymf, sellstock, income, transfer, invbanktran...) or QIF action (buy, div...). */
  action: string;
  date: string;
  externalId: string;
  externalIdSource: 'fitid' | 'derived';
  security?: Security;
  units?: string;
  unitPrice?: string;
  /** Cash effect on the account, negative = cash out (e.g. a purchase). */
  total?: string;
  commission?: string;
  fees?: string;
  memo?: string;
  payee?: string;
  /** Sub-type: BUYTYPE/SELLTYPE/INCOMETYPE/TFERACTION/TRNTYPE as written, lower-case. */
  subtype?: string;
}

export interface Position {
  security: Security;
  units: string;
  unitPrice?: string;
  marketValue?: string;
  priceDate?: string;
  positionType?: string;
  heldIn?: string;
}

export interface InvestmentDetails {
  transactions: InvestmentTransaction[];
  positions: Position[];
  securities: Security[];
  availableCash?: string;
  marginBalance?: string;
  shortBalance?: string;
  /** INV401KBAL/TOTAL, when the statement is a 401(k). */
  retirementTotal?: string;
  asOf?: string;
}

export type StatementAccountType =
  | 'checking' | 'savings' | 'money-market' | 'credit-line' | 'credit-card' | 'cash'
  | 'investment' | 'other-asset' | 'other-liability' | 'unknown';

export interface Balance {
  amount: string;
  date?: string;
}

export interface StatementAccount {
  /** 'investment' accounts carry their activity in `investment`, never in `transactions`. */
  kind: 'cash' | 'investment';
  type: StatementAccountType;
  /** The type as the file wrote it (ACCTTYPE, QIF !Type), for display. */
  rawType?: string;
  bankId?: string;
  branchId?: string;
  accountId?: string;
  /** QIF !Account name, when the file names its accounts. */
  name?: string;
  currency?: string;
  balance?: Balance;
  availableBalance?: Balance;
  period?: { start?: string; end?: string };
  transactions: StatementTransaction[];
  investment?: InvestmentDetails;
}

export interface ParsedStatement {
  format: StatementFormat;
  /** OFX header VERSION ('102', '220'...) when known. */
  version?: string;
  /** The text encoding the bytes were decoded with. */
  encoding: string;
  accounts: StatementAccount[];
  /** Records that could not be read; the other records are still returned. */
  rowErrors: RowIssue[];
  /** Things worth telling the user that did not stop a record (encoding mismatch, repeated FITID...). */
  warnings: RowIssue[];
}
