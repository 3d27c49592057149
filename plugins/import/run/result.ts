// What an import did, kept with it and shown on its page and by the API.
import type { RowIssue } from '../parsers/index.ts';

export type AccountResult = {
  index: number;
  accountId: string;
  name: string;
  created: boolean;
  added: number;
  duplicates: number;
  removed: number;
  /** The balance recorded for the account after the import, if any. */
  balance: string | null;
};

export type ImportResult = {
  added: number;
  duplicates: number;
  removed: number;
  failed: number;
  /** The failed lines and why (the first 1,000). */
  failures: RowIssue[];
  accounts: AccountResult[];
  /** Accounts of the file that were not imported, and why (investment statements, skipped). */
  skipped: { index: number; label: string; reason: string }[];
};
