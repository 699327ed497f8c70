import type { Msg } from '../../i18n/lang';

/**
 * The provider quality scorecard (issue 3: volume, timeliness, completeness, validity,
 * consistency, corrections, withdrawals per department and month), from GET
 * /api/v1/quality/scorecards. Ratios arrive as `{ ratio: 0–1 | null, … }`; the reader also takes
 * plain numbers and percentages, and a list or `{ items | months | rows }`.
 */
export const SCORECARD_PATHS = ['/api/v1/quality/scorecards', '/api/v1/quality/scorecard'];

export const RATIO_METRICS = ['timeliness', 'completeness', 'validity', 'consistency'] as const;
export const COUNT_METRICS = ['volume', 'corrections', 'withdrawals'] as const;
export type Metric = (typeof RATIO_METRICS)[number] | (typeof COUNT_METRICS)[number];

export const METRIC_LABELS: Record<Metric, Msg> = {
  volume: { zh: '报送量', en: 'Volume' },
  timeliness: { zh: '及时率', en: 'Timeliness' },
  completeness: { zh: '完整率', en: 'Completeness' },
  validity: { zh: '一次通过率', en: 'Validity' },
  consistency: { zh: '一致率', en: 'Consistency' },
  corrections: { zh: '更正数', en: 'Corrections' },
  withdrawals: { zh: '撤回数', en: 'Withdrawals' },
};

export interface ScoreRow {
  month: string;
  department: string | null;
  /** The department's English name, when the API gives one. */
  departmentEn: string | null;
  values: Partial<Record<Metric, number>>;
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function num(v: unknown): number | null {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (isRecord(v)) {
    for (const k of ['value', 'ratio', 'rate', 'score', 'count'])
      if (typeof v[k] === 'number') return v[k] as number;
  }
  return null;
}

/** Rows from whatever shape the scorecard API answers; ratios come out as percentages. */
export function normalizeScorecard(raw: unknown): ScoreRow[] {
  const list = Array.isArray(raw)
    ? raw
    : isRecord(raw)
      ? ((['items', 'months', 'rows', 'scorecard'] as const).map((k) => raw[k]).find(Array.isArray) ?? [])
      : [];
  const rows: ScoreRow[] = [];
  for (const r of list) {
    if (!isRecord(r)) continue;
    const month = String(r.month ?? r.period ?? '');
    if (!month) continue;
    const values: Partial<Record<Metric, number>> = {};
    for (const k of [...RATIO_METRICS, ...COUNT_METRICS]) {
      const v = num(r[k]);
      if (v === null) continue;
      values[k] = (RATIO_METRICS as readonly string[]).includes(k) && v <= 1 ? Math.round(v * 1000) / 10 : v;
    }
    const dept = r.departmentName ?? r.department ?? r.departmentId;
    rows.push({
      month: month.slice(0, 7),
      department: dept === undefined || dept === null ? null : String(dept),
      departmentEn: typeof r.departmentNameEn === 'string' && r.departmentNameEn ? r.departmentNameEn : null,
      values,
    });
  }
  return rows.sort((a, b) => a.month.localeCompare(b.month));
}
