import { schemaProperties } from '../../../domain/catalog/definition';
import {
  civilDate,
  CN_CALENDAR_DATA,
  createCalendar,
  startOfCivilDate,
  type WorkingDayCalendar,
} from '../../../domain/calendar';
import { actorDepartment, type Ctx } from '../../platform/context';
import { departmentByUscc, getDepartment, listDepartments } from '../accounts';
import { getItemVersion, listItems } from '../catalog';
import { batchRowStats } from '../ingest';
import { correctionsByMonth, fieldsFilled, recordsCreatedByDay, withdrawalsByMonth } from '../records';
import { QualityErrors } from './quality.errors';
import { qualityRepo } from './quality.repository';

/*
 * The provider quality scorecard (归集共享质效评估, measure 七 of the 2025 opinion): per providing
 * department and month, computed from the data every time (records, their versions and stops, and
 * the collection hub's batch rows), never kept by hand. Definitions (also in docs/ingest.md):
 *
 *  volume        records the department created in the month (first versions).
 *  timeliness    of those records of items with a publication deadline (双公示: 7 working days from
 *                the decision date, REFERENCE §2.1), the share submitted by the deadline, counted
 *                on the working-day calendar (holidays and make-up working days included).
 *  completeness  of the fields an item expects but does not require (EXPECTED_FIELDS below, plus
 *                any property marked `x-expected: true` in the item's schema), the share filled.
 *  validity      of the rows submitted in batches, the share accepted the first time they were
 *                submitted. A row is known by department, item and document number: sent again
 *                after a rejection (fixed or not) it is not a new row, so a rejected row stays
 *                not-valid-first-time; an unchanged re-send is not a new row either; a changed
 *                re-send of an accepted row (a correction) is. Decided when the row is written
 *                (migration 0030), so a month reads only its own rows. (ingest rowStats)
 *  consistency   of the batch rows that were accepted (created or updated) or rejected because a
 *                code or the name disagreed (NAME_MISMATCH with the registry, CODE_MISMATCH
 *                between the subject's codes), the share that agreed: 1 − mismatches / (created +
 *                updated + mismatches); unchanged re-sends count for neither side. Subjects the
 *                registry did not know and collection registered are reported beside it.
 *  corrections   new versions of the department's records recorded in the month.
 *  withdrawals   the department's records it withdrew in the month.
 *  score         the mean of the ratios that have data, × 100.
 */

/** Statutory publication deadlines in working days from the decision date. */
export const DEADLINES: Readonly<Record<string, number>> = { XZXK: 7, XZCF: 7 };

/**
 * Optional fields a complete record of an item is expected to carry: the licence's certificate
 * name and number (provincial validation requires them, REFERENCE §2.3), the penalty's end of
 * effect and end of publication (marked R [unconfirmed] in REFERENCE §2.4).
 */
export const EXPECTED_FIELDS: Readonly<Record<string, readonly string[]>> = {
  XZXK: ['XK_XKZS', 'XK_XKBH'],
  XZCF: ['CF_YXQ', 'CF_GSJZQ'],
};

export interface Ratio {
  ratio: number | null;
}

export interface ScoreRow {
  departmentId: number;
  departmentName: string;
  departmentNameEn: string | null;
  month: string;
  volume: number;
  rows: number;
  timeliness: Ratio & { onTime: number; total: number };
  completeness: Ratio & { filled: number; expected: number };
  validity: Ratio & { accepted: number; submitted: number };
  consistency: Ratio & { mismatches: number; checked: number; subjectsRegistered: number };
  corrections: number;
  withdrawals: number;
  score: number | null;
}

export interface Scorecard {
  from: string;
  to: string;
  items: ScoreRow[];
}

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

function nextMonth(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}

function prevMonth(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}

function monthsBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let m = from; m <= to && out.length <= 36; m = nextMonth(m)) out.push(m);
  return out;
}

function ratio(num: number, den: number): number | null {
  return den > 0 ? Math.round((num / den) * 10_000) / 10_000 : null;
}

async function calendar(ctx: Ctx): Promise<WorkingDayCalendar> {
  const overrides = await qualityRepo.calendarOverrides(ctx.db);
  return createCalendar(
    CN_CALENDAR_DATA,
    overrides.map((o) => ({ date: o.day, kind: o.kind, ...(o.name ? { name: o.name } : {}) })),
  );
}

/** Expected fields per item: the module's list and the schema's `x-expected` marks. */
async function expectedFields(ctx: Ctx): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  for (const s of await listItems(ctx)) {
    const item = await getItemVersion(ctx, s.code);
    const props = schemaProperties(item.payloadSchema);
    const keys = new Set([...(EXPECTED_FIELDS[s.code] ?? []).filter((k) => k in props)]);
    for (const [k, p] of Object.entries(props)) if (p['x-expected'] === true) keys.add(k);
    if (keys.size) out.set(s.code, [...keys]);
  }
  return out;
}

/** The department of `?department=`: an id or a USCC; departments only ever see their own. */
export async function scorecardDepartment(ctx: Ctx, requested: string | undefined): Promise<number | null> {
  const own = actorDepartment(ctx.actor);
  if (own !== null) return own;
  if (!requested) return null;
  if (/^\d{1,15}$/.test(requested))
    return (await getDepartment(ctx, Number(requested)).catch(() => null))?.id ?? notFound(requested);
  return (await departmentByUscc(ctx, requested.toUpperCase()))?.id ?? notFound(requested);
}

function notFound(department: string): never {
  throw QualityErrors.DEPARTMENT_NOT_FOUND({ field: 'department', department });
}

export async function computeScorecard(
  ctx: Ctx,
  q: { departmentId: number | null; from?: string; to?: string },
): Promise<Scorecard> {
  const thisMonth = civilDate(ctx.now).slice(0, 7);
  const to = q.to ?? thisMonth;
  if (!MONTH.test(to)) throw QualityErrors.MONTH_INVALID({ field: 'to', value: to });
  let from = q.from;
  if (!from) {
    // The twelve months up to `to`.
    from = to;
    for (let i = 0; i < 11; i++) from = prevMonth(from);
  }
  for (const m of [from, to])
    if (!MONTH.test(m)) throw QualityErrors.MONTH_INVALID({ field: m === from ? 'from' : 'to', value: m });
  const months = monthsBetween(from, to);
  if (from > to || months.length > 36) throw QualityErrors.RANGE_INVALID({ field: 'from' });

  const f = {
    from: startOfCivilDate(`${from}-01`),
    to: startOfCivilDate(`${nextMonth(to)}-01`),
    departmentId: q.departmentId,
  };
  const [created, corrections, withdrawals, batchRows, cal, expected, departments] = await Promise.all([
    recordsCreatedByDay(ctx, f),
    correctionsByMonth(ctx, f),
    withdrawalsByMonth(ctx, f),
    batchRowStats(ctx, f),
    calendar(ctx),
    expectedFields(ctx),
    listDepartments(ctx),
  ]);
  const filled = (
    await Promise.all(
      [...expected].map(async ([itemCode, keys]) =>
        (await fieldsFilled(ctx, { ...f, itemCode, keys })).map((r) => ({ ...r, per: keys.length })),
      ),
    )
  ).flat();

  const rows = new Map<string, ScoreRow>();
  const depts = new Map(departments.map((d) => [d.id, d]));
  const row = (departmentId: number, month: string): ScoreRow => {
    const key = `${departmentId}|${month}`;
    let r = rows.get(key);
    if (!r) {
      r = {
        departmentId,
        departmentName: depts.get(departmentId)?.name ?? String(departmentId),
        departmentNameEn: depts.get(departmentId)?.nameEn ?? null,
        month,
        volume: 0,
        rows: 0,
        timeliness: { ratio: null, onTime: 0, total: 0 },
        completeness: { ratio: null, filled: 0, expected: 0 },
        validity: { ratio: null, accepted: 0, submitted: 0 },
        consistency: { ratio: null, mismatches: 0, checked: 0, subjectsRegistered: 0 },
        corrections: 0,
        withdrawals: 0,
        score: null,
      };
      rows.set(key, r);
    }
    return r;
  };
  if (q.departmentId !== null) for (const m of months) row(q.departmentId, m);

  const deadlines = new Map<string, string>();
  for (const c of created) {
    const r = row(c.department_id, c.month);
    r.volume += c.n;
    const days = DEADLINES[c.item_code];
    if (days === undefined) continue;
    const key = `${c.decision_date}|${days}`;
    let deadline = deadlines.get(key);
    if (!deadline) {
      // Years outside the holiday table fall back to the weekday rule inside the calendar.
      deadline = cal.addWorkingDays(c.decision_date, days);
      deadlines.set(key, deadline);
    }
    r.timeliness.total += c.n;
    if (c.created_day <= deadline) r.timeliness.onTime += c.n;
  }
  for (const c of filled) {
    const r = row(c.department_id, c.month);
    r.completeness.filled += c.filled;
    r.completeness.expected += c.records * c.per;
  }
  for (const b of batchRows) {
    const r = row(b.department_id, b.month);
    r.rows += b.rows;
    r.validity.accepted += b.first_accepted;
    r.validity.submitted += b.first_submitted;
    r.consistency.mismatches += b.mismatches;
    r.consistency.checked += b.created + b.updated + b.mismatches;
    r.consistency.subjectsRegistered += b.subjects_registered;
  }
  for (const c of corrections) row(c.department_id, c.month).corrections += c.n;
  for (const w of withdrawals) row(w.department_id, w.month).withdrawals += w.n;

  for (const r of rows.values()) {
    r.timeliness.ratio = ratio(r.timeliness.onTime, r.timeliness.total);
    r.completeness.ratio = ratio(r.completeness.filled, r.completeness.expected);
    r.validity.ratio = ratio(r.validity.accepted, r.validity.submitted);
    r.consistency.ratio = ratio(r.consistency.checked - r.consistency.mismatches, r.consistency.checked);
    const ratios = [r.timeliness.ratio, r.completeness.ratio, r.validity.ratio, r.consistency.ratio].filter(
      (x): x is number => x !== null,
    );
    r.score = ratios.length
      ? Math.round((ratios.reduce((a, b) => a + b, 0) / ratios.length) * 1000) / 10
      : null;
  }
  const items = [...rows.values()]
    .filter((r) => r.month >= from && r.month <= to)
    .sort((a, b) => a.departmentId - b.departmentId || a.month.localeCompare(b.month));
  return { from, to, items };
}
