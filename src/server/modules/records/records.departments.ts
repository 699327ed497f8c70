import { civilDate } from '../../../domain/periods';
import type { Ctx } from '../../platform/context';
import { listItems } from '../catalog';
import { departmentsListRepo } from './records.departments.repository';

export interface PublicDepartment {
  id: number;
  name: string;
  nameEn: string | null;
  uscc: string;
  region: string;
  disclosedRecords: number;
  items: {
    code: string;
    nameZh: string;
    nameEn: string;
    categoryCode: string;
    provider: boolean;
    disclosedRecords: number;
  }[];
}

let cache: { at: number; value: { at: string; departments: PublicDepartment[] } } | null = null;
const TTL_MS = 60_000;

export function clearDepartmentsCache(): void {
  cache = null;
}

/**
 * Active departments with the catalogue items each provides (or still discloses records of) and
 * its count of records disclosed now. The count is one grouped scan of the records, so the answer
 * is kept for a minute (like the headline figures).
 */
export async function publicDepartments(ctx: Ctx): Promise<{ at: string; departments: PublicDepartment[] }> {
  const t = Date.now();
  if (cache && t - cache.at < TTL_MS) return cache.value;
  const [depts, providers, counts, items] = await Promise.all([
    departmentsListRepo.activeDepartments(ctx.db),
    departmentsListRepo.providers(ctx.db),
    departmentsListRepo.disclosedCounts(ctx.db, civilDate(ctx.now), ctx.now),
    listItems(ctx),
  ]);
  const itemByCode = new Map(items.map((i, order) => [i.code, { ...i, order }]));
  const perDept = new Map<number, Map<string, { provider: boolean; disclosed: number }>>();
  const entry = (d: number, code: string) => {
    let m = perDept.get(d);
    if (!m) perDept.set(d, (m = new Map()));
    let e = m.get(code);
    if (!e) m.set(code, (e = { provider: false, disclosed: 0 }));
    return e;
  };
  for (const p of providers) entry(p.department_id, p.item_code).provider = true;
  for (const c of counts) entry(c.department_id, c.item_code).disclosed += c.disclosed;
  const departments = depts.map((d) => {
    const list = [...(perDept.get(d.id) ?? new Map()).entries()]
      .filter(([code]) => itemByCode.has(code))
      .map(([code, e]) => {
        const item = itemByCode.get(code)!;
        return {
          code,
          nameZh: item.nameZh,
          nameEn: item.nameEn,
          categoryCode: item.categoryCode,
          provider: e.provider,
          disclosedRecords: e.disclosed,
          order: item.order,
        };
      })
      .sort((a, b) => a.order - b.order)
      .map(({ order: _order, ...rest }) => rest);
    return {
      id: d.id,
      name: d.name,
      nameEn: d.name_en,
      uscc: d.uscc,
      region: d.region,
      disclosedRecords: list.reduce((n, i) => n + i.disclosedRecords, 0),
      items: list,
    };
  });
  const value = { at: ctx.now.toISOString(), departments };
  cache = { at: t, value };
  return value;
}
