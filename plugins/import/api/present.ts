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
    // Previews stored before categories were read have no `categories`: none were read.
    preview: r.preview ? { ...r.preview, categories: r.preview.categories ?? null } : null,
    jobId: r.jobId,
    progress: { done: r.done, total: r.total },
    result: r.status === 'done' ? r.result : null,
    error: r.error,
  };
}
