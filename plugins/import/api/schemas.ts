// The import API's schemas: they validate requests and describe the API in the OpenAPI document.
import { z } from '../../../plugin-sdk/index.ts';
import { LEDGER_TYPES } from '../plan/targets.ts';

export const ImportId = z.object({ id: z.uuid() }).strict();

const Column = z.union([z.int().min(0).max(10_000), z.string().trim().min(1).max(200)])
  .describe('a column: its 0-based index, or its header text when the file has a header row');

export const CsvMappingIn = z.object({
  dateColumn: Column,
  dateFormat: z.string().min(1).max(40).describe("e.g. 'YYYY-MM-DD', 'MM/DD/YYYY', 'DD.MM.YYYY', 'DD MMM YYYY'"),
  amountColumn: Column.optional().describe('signed amounts; or give debitColumn and/or creditColumn'),
  debitColumn: Column.optional().describe('money out (always booked negative)'),
  creditColumn: Column.optional().describe('money in'),
  payeeColumn: Column.optional(),
  memoColumn: Column.optional(),
  checkNumberColumn: Column.optional(),
  idColumn: Column.optional().describe("the bank's transaction id, when the file has one"),
  decimalSeparator: z.enum(['.', ',']).default('.'),
  sign: z.enum(['as-is', 'invert']).default('as-is').describe("'invert' for exports that show money out as positive"),
  hasHeader: z.boolean().default(true),
  delimiter: z.enum(['auto', ',', ';', '\t', '|']).default('auto'),
  encoding: z.string().trim().min(1).max(40).default('auto').describe("'auto', 'utf-8', 'windows-1252', 'utf-16le'..."),
  skipLines: z.union([z.int().min(0).max(10_000), z.literal('auto')]).optional().describe('lines above the table to ignore'),
}).strict();

export const TargetIn = z.object({
  index: z.int().min(0).max(1000).describe('the account of the file (0 for the first)'),
  accountId: z.uuid().optional().describe('import into this existing ledger account'),
  create: z.object({
    name: z.string().trim().min(1).max(200).optional(),
    type: z.enum(LEDGER_TYPES).optional(),
    currency: z.string().regex(/^[A-Z][A-Z0-9]{2,9}$/).optional(),
  }).strict().optional().describe('create a new account from the file (the fields override the proposal)'),
  skip: z.boolean().optional().describe('do not import this account of the file'),
}).strict();

export const UploadIn = z.object({
  filename: z.string().trim().min(1).max(255),
  content: z.base64().describe('the file, base64-encoded (at most 45 MiB decoded)'),
  accountId: z.uuid().optional().describe('an existing account to import into; otherwise one is proposed from the file'),
  encoding: z.string().trim().min(1).max(40).optional().describe("'auto' (default) or the file's encoding"),
  csvMapping: CsvMappingIn.optional().describe('CSV: the column mapping; without it the import waits at the mapping step'),
}).strict();

export const PrepareIn = z.object({
  csvMapping: CsvMappingIn.optional(),
  targets: z.array(TargetIn).max(1000).optional(),
  forcedLines: z.array(z.int().min(1)).max(100_000).optional().describe('lines to import although they look like duplicates'),
}).strict();

export const ConfirmIn = PrepareIn.omit({ csvMapping: true });

const Issue = z.object({ line: z.int(), reason: z.string(), element: z.string().optional() });
const Row = z.object({ line: z.int(), date: z.string(), amount: z.string(), currency: z.string(), payee: z.string().nullable(), memo: z.string().nullable() });
const NewAccount = z.object({ name: z.string(), type: z.string(), subtype: z.string().optional(), currency: z.string(), externalId: z.string(), mask: z.string().optional() });

export const PreviewOut = z.object({
  format: z.string(),
  encoding: z.string(),
  accounts: z.array(z.object({
    index: z.int(),
    label: z.string(),
    kind: z.enum(['cash', 'investment']),
    statementType: z.string(),
    currency: z.string().nullable(),
    balance: z.object({ amount: z.string(), date: z.string().nullable() }).nullable(),
    period: z.object({ start: z.string().nullable(), end: z.string().nullable() }).nullable(),
    target: z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('account'), accountId: z.string(), name: z.string(), currency: z.string() }),
      z.object({ kind: z.literal('new'), account: NewAccount }),
      z.object({ kind: z.literal('skip'), reason: z.string() }),
    ]),
    rows: z.int(),
    toAdd: z.int(),
    duplicates: z.int(),
    add: z.array(Row).describe('the first rows that will be added'),
    duplicateRows: z.array(Row.extend({
      by: z.enum(['id', 'similar', 'file']).describe('id: same transaction id; similar: same amount, near date, similar payee; file: repeated in the file'),
      existing: z.object({ date: z.string(), amount: z.string(), payee: z.string().nullable() }).optional(),
      firstLine: z.int().optional(),
    })).describe('the first rows skipped as duplicates'),
  })),
  totals: z.object({ rows: z.int(), toAdd: z.int(), duplicates: z.int(), failed: z.int() }),
  failures: z.array(Issue).describe('lines that cannot be imported, and why'),
  warnings: z.array(Issue),
  categories: z.object({
    matched: z.int().describe('rows to add that get the category the file names (set once, as the source\'s suggestion: rules and the user may change it)'),
    unknown: z.array(z.object({ name: z.string(), rows: z.int(), firstLine: z.int() }))
      .describe('category names this household has no category for (the first 200 by name): those rows stay uncategorized; create the categories before confirming to keep them'),
    ambiguous: z.array(z.object({ name: z.string(), rows: z.int(), firstLine: z.int(), candidates: z.array(z.string()) }))
      .describe('names more than one category or group has ("Group:Category" picks one): those rows stay uncategorized'),
    transfers: z.int().describe('rows naming another account ([Account]): transfers, imported uncategorized'),
  }).nullable().describe("the categories the file names (QIF L lines), matched case-insensitively to the household's by 'Group:Category' or a name only one has, over the rows to add; null when the file names none"),
});

export const ResultOut = z.object({
  added: z.int(),
  duplicates: z.int(),
  removed: z.int(),
  failed: z.int(),
  failures: z.array(Issue),
  accounts: z.array(z.object({
    index: z.int(), accountId: z.string(), name: z.string(), created: z.boolean(), added: z.int(), duplicates: z.int(),
    removed: z.int(), balance: z.string().nullable(),
  })),
  skipped: z.array(z.object({ index: z.int(), label: z.string(), reason: z.string() })),
});

export const ImportOut = z.object({
  id: z.uuid(),
  status: z.enum(['mapping', 'ready', 'queued', 'running', 'done', 'failed'])
    .describe('mapping: CSV columns to choose; ready: preview to confirm; queued/running: importing; done; failed'),
  filename: z.string(),
  size: z.int(),
  format: z.enum(['ofx', 'qfx', 'qif', 'csv']),
  createdAt: z.string(),
  expiresAt: z.string().describe('an upload not confirmed by then is deleted'),
  csvMapping: z.unknown().nullable(),
  preview: PreviewOut.nullable(),
  jobId: z.string().nullable().describe('the import job (GET /api/v1/jobs/{id} has its state and progress)'),
  progress: z.object({ done: z.int(), total: z.int().nullable() }),
  result: ResultOut.nullable(),
  error: z.string().nullable(),
});

export const CsvStepOut = z.object({
  encoding: z.string(),
  delimiter: z.string(),
  skipLines: z.int(),
  headers: z.array(z.string()),
  sampleRows: z.array(z.array(z.string())),
  suggestion: z.object({ mapping: z.unknown(), dateFormats: z.array(z.string()), notes: z.array(z.string()) }),
  mapping: z.unknown(),
  rows: z.array(z.object({
    line: z.int(), fields: z.array(z.string()), error: z.string().optional(),
    transaction: z.object({ date: z.string(), amount: z.string(), payee: z.string().optional(), memo: z.string().optional() }).optional(),
  })).describe('the first rows as the mapping reads them'),
  error: z.string().nullable(),
});
