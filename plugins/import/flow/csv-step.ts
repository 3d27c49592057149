// The CSV mapping step: the file's first records, a suggested mapping (suggestMapping), and the
// first rows as the chosen mapping reads them (or why it cannot), for the mapping form's preview.
import {
  previewCsv, sampleCsv, StatementError, suggestMapping,
  type CsvMapping, type CsvPreview, type CsvSample, type MappingSuggestion,
} from '../parsers/index.ts';

export type CsvStep = {
  sample: CsvSample;
  suggestion: MappingSuggestion;
  mapping: CsvMapping;
  preview: CsvPreview | null;
  error: string | null;
};

export const PREVIEW_ROWS = 20;

export function csvStep(bytes: Uint8Array, chosen?: CsvMapping | null): CsvStep {
  const sample = sampleCsv(bytes, chosen ? { encoding: chosen.encoding, delimiter: chosen.delimiter, skipLines: chosen.skipLines } : {});
  const suggestion = suggestMapping(sample.headers, sample.sampleRows);
  const mapping: CsvMapping = chosen ?? { ...suggestion.mapping, skipLines: sample.skipLines };
  try {
    return { sample, suggestion, mapping, preview: previewCsv(bytes, mapping, PREVIEW_ROWS), error: null };
  } catch (err) {
    if (err instanceof StatementError) return { sample, suggestion, mapping, preview: null, error: err.message };
    throw err;
  }
}
