// An import as the API shows it.
import type { ImportRecord } from '../store/imports.ts';

export function presentImport(r: ImportRecord) {
  return {
    id: r.id,
    status: r.status,
    filename: r.filename,
    size: r.size,
    format: r.format,
    createdAt: r.createdAt,
    expiresAt: r.expiresAt,
    csvMapping: r.csvMapping,
    preview: r.preview,
    jobId: r.jobId,
    progress: { done: r.done, total: r.total },
    result: r.status === 'done' ? r.result : null,
    error: r.error,
  };
}
