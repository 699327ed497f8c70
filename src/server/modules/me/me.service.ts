import { actorSubject, type Ctx } from '../../platform/context';
import type { FieldCrypto } from '../../platform/crypto';
import { getItemVersion, type ItemVersion } from '../catalog';
import { entriesOfSubject, type EntryView } from '../lists';
import { getRecordHistory, listRecords } from '../records';
import { getSubject, SubjectErrors, type Subject } from '../subjects';
import { meRepo } from './me.repository';

/** The subject the caller's own account stands for (role `subject`). */
export function ownSubject(ctx: Ctx): number {
  const own = actorSubject(ctx.actor);
  if (own === null) throw SubjectErrors.SUBJECT_NOT_FOUND({ code: 'me' });
  return own;
}

export interface ReadView {
  seq: number;
  at: string;
  type: string;
  who: {
    kind: string;
    name: string | null;
    department: string | null;
    departmentEn: string | null;
    via?: 'webhook';
  };
  purpose: string | null;
  /** A joint check's scenario by name (its code is in `purpose`, `check:<code>`). */
  scenario?: { code: string; nameZh: string; nameEn: string };
  fields: string[];
  recordIds: number[];
}

/** Who read the caller's non-public data, newest first (me.repository.ts `reads`). */
export async function myReads(ctx: Ctx, f: { limit: number; before?: number }) {
  const own = ownSubject(ctx);
  const rows = await meRepo.reads(ctx.db, own, f.before ?? null, f.limit + 1);
  const items: ReadView[] = rows.slice(0, f.limit).map((r) => {
    const p = JSON.parse(r.payload) as {
      purpose?: string | null;
      fields?: string[];
      field?: string;
      recordIds?: number[];
      scenario?: string;
    };
    return {
      seq: Number(r.seq),
      at: r.at.toISOString(),
      type: r.type,
      // A webhook delivery is shown as its subscriber, with the channel.
      who: {
        kind: r.subscriber_kind ?? r.actor_kind,
        name: r.who,
        department: r.department,
        departmentEn: r.department_en,
        ...(r.subscriber_kind ? { via: 'webhook' } : {}),
      },
      // A joint check states its scenario, which is its purpose.
      purpose: p.purpose ?? (p.scenario ? `check:${p.scenario}` : null),
      ...(p.scenario && r.scenario_zh !== null
        ? { scenario: { code: p.scenario, nameZh: r.scenario_zh, nameEn: r.scenario_en ?? r.scenario_zh } }
        : {}),
      fields: p.fields ?? (p.field ? [p.field] : []),
      recordIds: p.recordIds ?? [],
    };
  });
  const more = rows.length > f.limit;
  return { items, more, nextBefore: more ? (items[items.length - 1]?.seq ?? null) : null };
}

export interface HeldField {
  key: string;
  label: string;
  visibility: string;
  /** The value, or null when it is internal or sensitive: present, but not shown. */
  value: unknown;
  masked: boolean;
}

function heldFields(item: ItemVersion, payload: Record<string, unknown>): HeldField[] {
  const props = (item.payloadSchema.properties ?? {}) as Record<
    string,
    { title?: string; 'x-sensitive'?: boolean }
  >;
  const keys = [...Object.keys(props), ...Object.keys(payload).filter((k) => !(k in props))];
  const out: HeldField[] = [];
  for (const key of keys) {
    const value = payload[key];
    if (value === undefined || value === null || value === '') continue;
    const visibility = item.fieldVisibility[key] ?? 'internal';
    const masked =
      visibility === 'internal' ||
      props[key]?.['x-sensitive'] === true ||
      (typeof value === 'object' && value !== null && 'enc' in value);
    out.push({ key, label: props[key]?.title ?? key, visibility, value: masked ? null : value, masked });
  }
  return out;
}

const MAX_RECORDS = 1000;

/**
 * Everything held on the caller's subject: its registry entry (ID number masked), all its records
 * with every version's fields (public and shared values; internal and sensitive ones shown as
 * present but masked), stops, and its list entries.
 */
export async function myCredit(ctx: Ctx, crypto: FieldCrypto) {
  const own = ownSubject(ctx);
  const subject: Subject = await getSubject(ctx, own);
  const { rows, more } = await listRecords(ctx, {
    departmentId: null,
    subjectId: own,
    limit: MAX_RECORDS,
    offset: 0,
  });
  const items = new Map<string, Promise<ItemVersion>>();
  const item = (code: string, version: number) => {
    const key = `${code}@${version}`;
    let v = items.get(key);
    if (!v) items.set(key, (v = getItemVersion(ctx, code, version)));
    return v;
  };
  const records = [];
  for (const head of rows) {
    const h = await getRecordHistory(ctx, head.id);
    const current = await item(head.item_code, head.item_version);
    const versions = [];
    for (const v of h.versions) {
      const iv = await item(head.item_code, v.item_version);
      versions.push({
        version: v.version,
        decisionDate: v.decision_date,
        severity: v.severity,
        windowFrom: v.window_from,
        windowUntil: v.window_until,
        changeKind: v.change_kind,
        changeReason: v.change_reason,
        recordedAt: v.recorded_at.toISOString(),
        fields: heldFields(iv, v.payload),
      });
    }
    records.push({
      id: head.id,
      item: { code: current.code, version: current.version, nameZh: current.nameZh, nameEn: current.nameEn },
      categoryCode: head.category_code,
      departmentId: head.department_id,
      docNo: head.doc_no,
      decisionDate: head.decision_date,
      severity: head.severity,
      windowFrom: head.window_from,
      windowUntil: head.window_until,
      version: head.version,
      stopKind: head.stop_kind,
      stoppedAt: head.stopped_at?.toISOString() ?? null,
      fields: heldFields(current, head.payload),
      versions,
      stops: h.stops.map((s) => ({
        kind: s.kind,
        reason: s.reason,
        effectiveAt: s.effective_at.toISOString(),
        recordedAt: s.recorded_at.toISOString(),
        liftedAt: s.lifted_at?.toISOString() ?? null,
      })),
    });
  }
  const lists: EntryView[] = (await entriesOfSubject(ctx, crypto, `S${own}`, ctx.now)).items;
  return {
    at: ctx.now.toISOString(),
    subject: {
      ref: `S${subject.id}`,
      type: subject.type,
      name: subject.name,
      uscc: subject.uscc,
      orgCode: subject.orgCode,
      regNo: subject.regNo,
      idMasked: subject.idMasked,
      region: subject.region,
      legalRep: subject.legalRep,
      status: subject.status,
      establishedOn: subject.establishedOn,
      origin: subject.origin,
      createdAt: subject.createdAt,
    },
    records,
    moreRecords: more,
    lists,
  };
}
