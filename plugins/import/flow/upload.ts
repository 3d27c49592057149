// Receiving a statement file: recognize it, read it (OFX/QFX/QIF) or check it can be read (CSV),
// keep it in the imports table and, when the file describes itself, compute the preview at once.
// A file that cannot be read is refused with the line at fault, and nothing is kept.
import { createHash } from 'node:crypto';
import { badRequest, type PluginContext } from '../../../plugin-sdk/index.ts';
import { importableAccounts } from '../ledger/services.ts';
import { decodeStatement, detectFormat, investmentRefusal, sampleCsv, type CsvMapping, type ParsedStatement } from '../parsers/index.ts';
import { readStatement } from '../plan/read-file.ts';
import { createImport, discardImport, getImport, type ImportRecord } from '../store/imports.ts';
import { statementProblem, unprocessable } from './errors.ts';
import { prepare, type Using } from './prepare.ts';
import { importSettings } from './settings.ts';

// 100k-row statements are 7 MB (CSV) to 30 MB (OFX); uploads are allowed 64 MiB (manifest
// bodyLimits), which a base64 API upload of this size still fits.
export const MAX_FILE_BYTES = 45 * 1024 * 1024;

export type Upload = {
  filename: string;
  bytes: Uint8Array;
  /** An existing ledger account to import into (one-account files); otherwise one is proposed. */
  accountId?: string | null;
  /** 'auto' or a WHATWG label, for files that do not say (or lie about) their encoding. */
  encoding?: string | null;
  /** CSV: a mapping given up front (API), skipping the mapping step. */
  csvMapping?: CsvMapping | null;
};

/**
 * An account picked at upload must be one the user may import into, checked before anything is
 * kept: otherwise the preview would quietly propose a new account instead (the same check as a
 * target chosen later, flow/targets-input.ts).
 */
async function checkRequestedAccount(ctx: PluginContext, accountId: string, using: Using): Promise<void> {
  const open = using.ledger?.accounts ?? (await importableAccounts(ctx));
  if (!open.some((a) => a.id === accountId)) throw badRequest(`accountId: no open account ${accountId} in this household`);
}

const cleanName = (name: string) => (name.replace(/[\\/]/g, '_').replace(/[\u0000-\u001f]/g, '').trim() || 'statement').slice(0, 255);

/**
 * `using.sql`: the upload is kept in that transaction (an Idempotency-Key's), so a refusal keeps
 * nothing by rolling back; otherwise each statement commits on its own and a refused upload is
 * deleted again.
 */
export async function receiveUpload(ctx: PluginContext, upload: Upload, using: Using = {}): Promise<ImportRecord> {
  const sql = using.sql ?? ctx.db.sql;
  if (upload.bytes.byteLength === 0) throw unprocessable(`The file ${cleanName(upload.filename)} is empty (0 bytes): download the statement again and upload that file.`);
  if (upload.bytes.byteLength > MAX_FILE_BYTES) throw unprocessable(`The file is ${upload.bytes.byteLength} bytes; at most ${MAX_FILE_BYTES} are accepted.`);
  if (upload.accountId) await checkRequestedAccount(ctx, upload.accountId, using);
  const filename = cleanName(upload.filename);
  const encoding = upload.encoding && upload.encoding !== 'auto' ? upload.encoding : 'auto';
  let format: ImportRecord['format'];
  let statement: ParsedStatement | undefined;
  try {
    format = detectFormat(decodeStatement(upload.bytes, { encoding }).text, filename).format;
    if (format === 'csv') sampleCsv(upload.bytes, { encoding: upload.csvMapping?.encoding ?? encoding });
    else statement = readStatement({ filename, format, encoding, csvMapping: null }, upload.bytes);
  } catch (err) {
    statementProblem(err);
  }
  // A file of investment accounts only has nothing to import: refused now, so no upload is left
  // waiting for a confirmation that could only fail. A file that also holds cash accounts is kept:
  // those are imported and its investment accounts are listed as refused.
  const refusal = statement && !statement.accounts.some((a) => a.kind === 'cash') && investmentRefusal(statement);
  if (refusal) throw unprocessable(`${refusal} Nothing was kept.`);
  const settings = await importSettings(ctx);
  const id = await createImport(sql, {
    filename, content: upload.bytes, sha256: createHash('sha256').update(upload.bytes).digest('hex'), format, encoding,
    requestedAccountId: upload.accountId ?? null, createdBy: ctx.user?.id ?? null, keepHours: settings.keepUploadHours,
  });
  const record = (await getImport(sql, id))!;
  if (format !== 'csv' || upload.csvMapping) {
    const mapping = upload.csvMapping ? { ...upload.csvMapping, encoding: upload.csvMapping.encoding ?? encoding } : undefined;
    try {
      await prepare(ctx, record, { bytes: upload.bytes, statement, csvMapping: mapping }, using);
    } catch (err) {
      // A refused upload keeps nothing: no import the user never saw, waiting to expire.
      if (!using.sql) await discardImport(sql, id);
      throw err;
    }
  }
  return (await getImport(sql, id))!;
}
