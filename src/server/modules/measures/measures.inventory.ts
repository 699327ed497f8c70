/**
 * The measures inventory: scenarios, measures as versioned definitions behind the legal-basis
 * gate, and an in-process cache the checks read (the inventory is small and changes rarely).
 */
import { canonicalJson } from '../../../domain/canonical-json';
import {
  parseMeasure,
  recordTriggerItems,
  type MeasureDefinition,
  type MeasureGateContext,
  type MeasureInput,
  type MeasureProblem,
} from '../../../domain/measures';
import type { ListKind } from '../../../domain/lists';
import { actorLabel, type Ctx } from '../../platform/context';
import type { Queryable } from '../../platform/db';
import { appendEvents } from '../../platform/events';
import { listCategories, listItems } from '../catalog';
import { listListTypes } from '../lists';
import { MeasureErrors } from './measures.errors';
import { measuresRepo, type MeasureVersionRow, type ScenarioRow } from './measures.repository';

export interface Scenario {
  code: string;
  nameZh: string;
  nameEn: string;
  sort: number;
}

export interface Measure extends MeasureDefinition {
  version: number;
  currentVersion: number;
  recordedAt: string;
  recordedBy: string;
}

const toScenario = (r: ScenarioRow): Scenario => ({
  code: r.code,
  nameZh: r.name_zh,
  nameEn: r.name_en,
  sort: r.sort,
});

function toMeasure(r: MeasureVersionRow): Measure {
  const d = r.definition as unknown as MeasureDefinition;
  return {
    ...d,
    // Versions recorded before related parties could be reached: the listed subject only.
    reachesRoles: d.reachesRoles ?? [],
    version: r.version,
    currentVersion: r.current_version,
    recordedAt: r.recorded_at.toISOString(),
    recordedBy: r.recorded_by,
  };
}

export function definitionOf(m: MeasureDefinition): MeasureDefinition {
  return {
    code: m.code,
    nameZh: m.nameZh,
    nameEn: m.nameEn,
    content: m.content,
    kind: m.kind,
    class: m.class,
    reducesRights: m.reducesRights,
    legalBasis: m.legalBasis,
    triggers: m.triggers,
    scenarios: m.scenarios,
    subjectTypes: m.subjectTypes,
    implementingBodies: m.implementingBodies,
    lift: m.lift,
    liftNote: m.liftNote,
    status: m.status,
    reachesRoles: m.reachesRoles ?? [],
  };
}

// ---- the cache the checks read ----

interface Loaded {
  /** `count:max(recorded_at)` of measure_versions when loaded. */
  mark: string;
  versions: Map<string, Measure[]>;
  latestActive: MeasureDefinition[];
  latestAt: number;
  /** Record items of every active version ever recorded: what a check at any instant may need. */
  triggerItems: string[];
  scenarios: Map<string, Scenario>;
}

const caches = new WeakMap<object, Promise<Loaded>>();

async function load(db: Queryable): Promise<Loaded> {
  const [rows, scenarios] = await Promise.all([measuresRepo.allVersions(db), measuresRepo.scenarios(db)]);
  const versions = new Map<string, Measure[]>();
  let latestAt = 0;
  for (const r of rows) {
    const m = toMeasure(r);
    latestAt = Math.max(latestAt, r.recorded_at.getTime());
    versions.set(m.code, [...(versions.get(m.code) ?? []), m]);
  }
  const latest = [...versions.values()].map((vs) => vs[vs.length - 1] as Measure);
  const latestActive = latest.filter((m) => m.status === 'active');
  return {
    mark: inventoryMark(rows.length, latestAt),
    versions,
    latestActive,
    latestAt,
    triggerItems: recordTriggerItems([...versions.values()].flat()),
    scenarios: new Map(scenarios.map((s) => [s.code, toScenario(s)])),
  };
}

/** The same mark as the facts query computes in SQL (see measures.repository.ts). */
export function inventoryMark(count: number, latestMs: number): string {
  return `${count}:${latestMs}`;
}

/**
 * The inventory for checks, keyed by the pool. Every facts query also returns the mark of
 * measure_versions (row count and newest recorded_at), so a change made by any process is seen by
 * the next check without an extra round trip.
 */
export const inventoryCache = {
  get(pool: Queryable): Promise<Loaded> {
    let p = caches.get(pool);
    if (!p) {
      p = load(pool);
      caches.set(pool, p);
      p.catch(() => caches.delete(pool));
    }
    return p;
  },
  async refresh(pool: Queryable): Promise<Loaded> {
    const p = load(pool);
    caches.set(pool, p);
    return p;
  },
  /** The cached inventory, reloaded when the database's mark differs. */
  async fresh(pool: Queryable, mark: string): Promise<Loaded> {
    const loaded = await this.get(pool);
    return loaded.mark === mark ? loaded : this.refresh(pool);
  },
};

/** The measures in force at `at` (the version recorded by then, if active). */
export function inventoryAt(loaded: Loaded, at: Date): MeasureDefinition[] {
  const t = at.getTime();
  if (t >= loaded.latestAt) return loaded.latestActive;
  const out: MeasureDefinition[] = [];
  for (const vs of loaded.versions.values()) {
    let pick: Measure | undefined;
    for (const v of vs) if (new Date(v.recordedAt).getTime() <= t) pick = v;
    if (pick && pick.status === 'active') out.push(pick);
  }
  return out;
}

export type InventorySnapshot = Loaded;

// ---- scenarios ----

export async function listScenarios(ctx: Ctx): Promise<Scenario[]> {
  return (await measuresRepo.scenarios(ctx.db)).map(toScenario);
}

export async function createScenario(ctx: Ctx, s: Scenario): Promise<Scenario> {
  if (!(await measuresRepo.insertScenario(ctx.db, { ...s, now: ctx.now })))
    throw MeasureErrors.SCENARIO_EXISTS({ field: 'code', code: s.code });
  await appendEvents(ctx, [
    { type: 'measure_scenario.created', entityType: 'measure_scenario', entityId: s.code, payload: s },
  ]);
  return s;
}

// ---- measures ----

async function gateContext(ctx: Ctx): Promise<MeasureGateContext> {
  const [scenarios, lists, items, categories] = await Promise.all([
    measuresRepo.scenarios(ctx.db),
    listListTypes(ctx),
    listItems(ctx),
    listCategories(ctx),
  ]);
  const names = new Map(categories.map((c) => [c.code, { zh: c.nameZh, en: c.nameEn }]));
  return {
    scenarios: new Set(scenarios.map((s) => s.code)),
    listTypes: new Map(lists.map((l) => [l.code, { kind: l.kind as ListKind, status: l.status }])),
    catalogItems: new Map(
      items
        .filter((i) => i.status === 'active')
        .map((i) => [
          i.code,
          {
            categoryCode: i.categoryCode,
            categoryName: names.get(i.categoryCode),
            severityRule: i.severityRule,
          },
        ]),
    ),
  };
}

function refused(problems: readonly MeasureProblem[]) {
  const first = problems[0] as MeasureProblem;
  const more = problems.length > 1 ? problems.length - 1 : 0;
  return MeasureErrors.MEASURE_INVALID({
    field: first.field,
    problem: first.code,
    problems: problems.map((p) => ({ code: p.code, field: p.field, message: p.message })),
    first: `${first.message.zh}${more ? `（另有 ${more} 处问题）` : ''}`,
    firstEn: `${first.message.en}${more ? ` (and ${more} more)` : ''}`,
  });
}

async function checked(ctx: Ctx, input: MeasureInput): Promise<MeasureDefinition> {
  const parsed = parseMeasure(input, await gateContext(ctx));
  if (!parsed.ok) throw refused(parsed.problems);
  return parsed.value;
}

export async function listMeasures(ctx: Ctx): Promise<Measure[]> {
  const rows = await measuresRepo.allVersions(ctx.db);
  return rows.filter((r) => r.version === r.current_version).map(toMeasure);
}

export async function getMeasure(ctx: Ctx, code: string, version?: number): Promise<Measure> {
  const row = await measuresRepo.version(ctx.db, code, version ?? null);
  if (!row) throw MeasureErrors.MEASURE_NOT_FOUND({ field: 'code', code });
  return toMeasure(row);
}

/** Adds a measure to the inventory after the gate. */
export async function createMeasure(ctx: Ctx, input: MeasureInput): Promise<Measure> {
  const def = await checked(ctx, input);
  await measuresRepo.lockInventory(ctx.db);
  if (!(await measuresRepo.insertMeasure(ctx.db, def.code, ctx.now)))
    throw MeasureErrors.MEASURE_EXISTS({ field: 'code', code: def.code });
  await measuresRepo.insertVersion(ctx.db, {
    code: def.code,
    version: 1,
    definition: JSON.stringify(def),
    now: ctx.now,
    by: actorLabel(ctx.actor),
  });
  await appendEvents(ctx, [
    {
      type: 'measure.created',
      entityType: 'measure',
      entityId: def.code,
      payload: { version: 1, definition: def },
    },
  ]);
  return getMeasure(ctx, def.code, 1);
}

/** A new version (revision, or retirement with status `retired`); earlier versions stay for replays. */
export async function versionMeasure(ctx: Ctx, code: string, input: MeasureInput): Promise<Measure> {
  await measuresRepo.lockInventory(ctx.db);
  const head = await measuresRepo.head(ctx.db, code, true);
  if (!head) throw MeasureErrors.MEASURE_NOT_FOUND({ field: 'code', code });
  const def = await checked(ctx, { ...input, code });
  const current = await getMeasure(ctx, code);
  if (canonicalJson(definitionOf(current)) === canonicalJson(def)) return current;
  const version = head.current_version + 1;
  await measuresRepo.insertVersion(ctx.db, {
    code,
    version,
    definition: JSON.stringify(def),
    now: ctx.now,
    by: actorLabel(ctx.actor),
  });
  await appendEvents(ctx, [
    {
      type: def.status === 'retired' ? 'measure.retired' : 'measure.versioned',
      entityType: 'measure',
      entityId: code,
      payload: { version, previousVersion: head.current_version, definition: def },
    },
  ]);
  return getMeasure(ctx, code, version);
}
