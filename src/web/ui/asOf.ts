/**
 * The "as of" date of public pages. The URL carries a civil date (`?at=2025-01-01`, easy to share);
 * the API gets the end of that day in China time, so the page shows what the platform disclosed
 * on that day. Today or no date means "now" (the API refuses instants in the future).
 */

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const CHINA_OFFSET_MS = 8 * 3600_000;

export type AsOf =
  | { kind: 'now'; date: null; instant: undefined }
  | { kind: 'past'; date: string; instant: string }
  | { kind: 'invalid'; date: null; instant: undefined; reason: 'format' | 'future'; raw: string };

/** The civil date in China (UTC+8, no daylight saving) at an instant. */
export function chinaDate(at: Date): string {
  return new Date(at.getTime() + CHINA_OFFSET_MS).toISOString().slice(0, 10);
}

export function isRealDate(date: string): boolean {
  const m = DATE_RE.exec(date);
  if (!m) return false;
  const d = new Date(`${date}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === date;
}

/** End of a civil day in China time, as an ISO instant the API accepts. */
export function endOfChinaDay(date: string): string {
  return `${date}T23:59:59.999+08:00`;
}

export function parseAtParam(raw: string | null | undefined, now: Date): AsOf {
  const value = (raw ?? '').trim();
  if (!value) return { kind: 'now', date: null, instant: undefined };
  const today = chinaDate(now);
  if (DATE_RE.test(value)) {
    if (!isRealDate(value))
      return { kind: 'invalid', date: null, instant: undefined, reason: 'format', raw: value };
    if (value > today)
      return { kind: 'invalid', date: null, instant: undefined, reason: 'future', raw: value };
    if (value === today) return { kind: 'now', date: null, instant: undefined };
    return { kind: 'past', date: value, instant: endOfChinaDay(value) };
  }
  // A full instant (as the API itself would take it), e.g. copied from a report.
  const d = /^\d{4}-\d{2}-\d{2}T/.test(value) ? new Date(value) : new Date(NaN);
  if (Number.isNaN(d.getTime()))
    return { kind: 'invalid', date: null, instant: undefined, reason: 'format', raw: value };
  if (d.getTime() > now.getTime())
    return { kind: 'invalid', date: null, instant: undefined, reason: 'future', raw: value };
  return { kind: 'past', date: chinaDate(d), instant: d.toISOString() };
}

/** The `?at=` value for a picked date: none for today or a cleared picker. */
export function atParamForDate(date: string | null, now: Date): string | null {
  if (!date || !isRealDate(date)) return null;
  return date >= chinaDate(now) ? null : date;
}

/** Days after today cannot be picked. */
export function isFutureDate(date: string, now: Date): boolean {
  return date > chinaDate(now);
}
