import type { Lang } from '../../i18n/lang';

/**
 * A record's history as `GET /api/v1/records/:id` gives it: the stored rows of its versions and
 * stops (snake_case columns, instants as ISO strings), read into what the detail drawer shows.
 */
export interface VersionRow {
  version: number;
  changeKind: string;
  reason: string | null;
  recordedAt: string | null;
  recordedBy: string | null;
}

export interface StopRow {
  kind: string;
  reason: string | null;
  effectiveAt: string | null;
  recordedAt: string | null;
  recordedBy: string | null;
  liftedAt: string | null;
}

const text = (v: unknown): string | null =>
  typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : null;

export function versionRows(raw: readonly Record<string, unknown>[] | null | undefined): VersionRow[] {
  return (raw ?? []).map((r, i) => {
    const v = Number(r.version);
    return {
      version: Number.isFinite(v) ? v : i + 1,
      changeKind: text(r.change_kind) ?? '',
      reason: text(r.change_reason),
      recordedAt: text(r.recorded_at),
      recordedBy: text(r.recorded_by),
    };
  });
}

export function stopRows(raw: readonly Record<string, unknown>[] | null | undefined): StopRow[] {
  return (raw ?? []).map((r) => ({
    kind: text(r.kind) ?? '',
    reason: text(r.reason),
    effectiveAt: text(r.effective_at),
    recordedAt: text(r.recorded_at),
    recordedBy: text(r.recorded_by),
    liftedAt: text(r.lifted_at),
  }));
}

const CHANGE_LABELS: Record<string, { zh: string; en: string }> = {
  created: { zh: '首次报送', en: 'Created' },
  corrected: { zh: '更正', en: 'Corrected' },
};

/** How a version came to be, in the reader's words; an unknown kind as it came. */
export function changeKindText(kind: string, lang: Lang): string {
  const l = CHANGE_LABELS[kind];
  if (!l) return kind;
  return lang === 'en' ? l.en : l.zh;
}
