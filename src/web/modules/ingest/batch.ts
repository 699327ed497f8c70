import { readMessages } from '../../api/errors';
import type { Batch, BatchRowError } from '../../api/types';
import type { Lang } from '../../i18n/lang';

export const POLL_MS = 800;

export function rejectedCsvUrl(batchId: string | number): string {
  return `/api/v1/ingest/batches/${encodeURIComponent(String(batchId))}/rejected.csv`;
}

/** Percent of rows processed, or null while the total is unknown (streaming a large file). */
export function batchPercent(b: Pick<Batch, 'status' | 'progress'>): number | null {
  if (b.status !== 'processing') return 100;
  const total = b.progress?.total;
  if (!total || total <= 0) return null;
  return Math.min(99, Math.floor(((b.progress?.rows ?? 0) / total) * 100));
}

export function rowErrorText(e: BatchRowError, lang: Lang): string {
  if (typeof e.message === 'string') return e.message;
  const msgs = readMessages(e.message);
  if (!msgs) return e.code ?? '';
  return lang === 'en' ? msgs.en : msgs['zh-CN'];
}

/** The batches endpoint may answer a list or a page. */
export function batchList(data: Batch[] | { items: Batch[] } | undefined): Batch[] {
  if (!data) return [];
  return Array.isArray(data) ? data : data.items;
}
