import { canonicalJson } from '../../../domain/canonical-json';
import { parseItemDefinition, type ItemDefinition } from '../../../domain/catalog';
import { actorLabel, type Actor, type Ctx } from '../../platform/context';
import { catalogRepo } from './catalog.repository';
import { CONDUCT_ITEMS } from './catalog.seed-conduct';
import { REGISTER_ITEMS } from './catalog.seed-items';
import { SHUANG_GONGSHI_ITEMS } from './catalog.seed-shuanggongshi';
import { withEnglishTitles } from './catalog.seed-titles-en';
import {
  createCategory,
  createItem,
  createItemVersion,
  definitionOf,
  getItemVersion,
  listCategories,
  updateCategory,
  type Category,
} from './catalog.service';

const CATALOG_2024 = '《全国公共信用信息基础目录（2024年版）》（发改财金规〔2024〕203号，文号待核实）';
const CATALOG_2024_EN = 'National Basic Catalogue of Public Credit Information (2024 edition)';
const INFERRED_ZH = '2024年版中本类的名称和序号系根据2021年版及2022、2024年增补推断，待核实。';
const INFERRED_EN =
  'The 2024 name and position of this category are inferred from the 2021 list and the 2022/2024 additions; unconfirmed.';

function category(
  sort: number,
  code: string,
  nameZh: string,
  nameEn: string,
  noteZh: string,
  noteEn: string,
  inferred: boolean,
): Category {
  return {
    code,
    nameZh,
    nameEn,
    sort,
    descriptionZh: `依据：${CATALOG_2024}第${sort}类。${noteZh}${inferred ? INFERRED_ZH : ''}`,
    descriptionEn: `Basis: ${CATALOG_2024_EN}, category ${sort}. ${noteEn}${inferred ? ` ${INFERRED_EN}` : ''}`,
  };
}

/** The 13 categories of the 2024 national basic catalogue (REFERENCE §3.2). */
export const NATIONAL_CATEGORIES: readonly Category[] = [
  category(
    1,
    'REG',
    '登记注册基本信息',
    'Registration information',
    '2021年版第1类。',
    'Listed since 2021.',
    false,
  ),
  category(
    2,
    'JUD',
    '司法裁判及执行信息',
    'Judicial judgments and enforcement',
    '2021年版第2类。',
    'Listed since 2021.',
    false,
  ),
  category(
    3,
    'ADM',
    '行政管理信息',
    'Administrative management information',
    '含行政许可、行政处罚、行政强制、行政确认、行政征收、行政给付、行政裁决、行政补偿、行政奖励和行政监督检查信息；2021年版第3类。',
    'Administrative licensing, penalties, coercion, confirmation, levies, payments, rulings, compensation, awards and inspections; listed since 2021.',
    false,
  ),
  category(
    4,
    'QUAL',
    '职称和职业信息',
    'Professional titles and occupational information',
    '2021年版名称为“职称和职业资格信息”。',
    'Named "professional titles and vocational qualifications" in 2021.',
    false,
  ),
  category(
    5,
    'ABN',
    '经营（活动）异常名录（状态）信息',
    'Abnormal operation lists and status',
    '2021年版第5类。',
    'Listed since 2021.',
    false,
  ),
  category(
    6,
    'SERIOUS',
    '严重失信主体名单信息',
    'Lists of seriously dishonest subjects',
    '2021年版第6类。',
    'Listed since 2021.',
    true,
  ),
  category(
    7,
    'CONTRACT',
    '有关合同履行信息',
    'Contract performance',
    '2021年版第7类。',
    'Listed since 2021.',
    true,
  ),
  category(
    8,
    'COMMIT',
    '信用承诺及其履行情况信息',
    'Credit commitments and their fulfilment',
    '2021年版第8类。',
    'Listed since 2021.',
    true,
  ),
  category(
    9,
    'EVAL',
    '信用评价结果信息',
    'Credit evaluation results',
    '2021年版第9类。',
    'Listed since 2021.',
    true,
  ),
  category(
    10,
    'HONOR',
    '诚实守信相关荣誉信息',
    'Honours for trustworthiness',
    '2021年版第10类。',
    'Listed since 2021.',
    true,
  ),
  category(
    11,
    'VOLUNTARY',
    '市场主体自愿提供的信用信息',
    'Credit information provided voluntarily by market entities',
    '2021年版第11类；2024年版或改称“经营主体”。',
    'Listed since 2021; the 2024 edition may say "business entities".',
    true,
  ),
  category(
    12,
    'COMPLIANCE',
    '遵守法律法规情况信息',
    'Compliance with laws and regulations',
    '2022年版新增。',
    'Added in the 2022 edition.',
    true,
  ),
  category(
    13,
    'IP',
    '知识产权信息',
    'Intellectual property',
    '2024年版新增。',
    'Added in the 2024 edition.',
    true,
  ),
];

/** Every seeded item: 行政许可 and 行政处罚 in full, one simpler item for each other category. */
export const NATIONAL_ITEMS: readonly ItemDefinition[] = [
  ...SHUANG_GONGSHI_ITEMS,
  ...REGISTER_ITEMS,
  ...CONDUCT_ITEMS,
].map(withEnglishTitles);

/** Who the seed acts as; only versions it wrote are replaced when the seeded text changes. */
export const SEED_ACTOR: Actor = { kind: 'system', name: 'catalog-seed' };

export interface SeedSummary {
  categoriesCreated: string[];
  categoriesUpdated: string[];
  itemsCreated: string[];
  itemsVersioned: string[];
}

/**
 * Makes the national catalogue present; safe to run at every start (run it in a transaction).
 * Missing categories and items are created; a seeded item whose definition changed in a newer
 * release gets a new version, unless an administrator has versioned it since (theirs is kept).
 * Every change writes its event.
 */
export async function seedNationalCatalog(ctx: Ctx): Promise<SeedSummary> {
  const sctx: Ctx = { ...ctx, actor: SEED_ACTOR };
  const summary: SeedSummary = {
    categoriesCreated: [],
    categoriesUpdated: [],
    itemsCreated: [],
    itemsVersioned: [],
  };
  await catalogRepo.lockSeed(ctx.db);

  const existing = new Map((await listCategories(sctx)).map((c) => [c.code, c]));
  for (const c of NATIONAL_CATEGORIES) {
    const had = existing.get(c.code);
    if (!had) {
      await createCategory(sctx, c);
      summary.categoriesCreated.push(c.code);
    } else if (canonicalJson(had) !== canonicalJson(c)) {
      await updateCategory(sctx, c);
      summary.categoriesUpdated.push(c.code);
    }
  }

  const seeder = actorLabel(SEED_ACTOR);
  for (const def of NATIONAL_ITEMS) {
    if (!(await catalogRepo.itemHead(ctx.db, def.code))) {
      await createItem(sctx, def);
      summary.itemsCreated.push(def.code);
      continue;
    }
    const current = await getItemVersion(sctx, def.code);
    if (current.createdBy !== seeder) continue;
    const parsed = parseItemDefinition(def);
    const wanted = parsed.ok ? definitionOf(parsed.value) : def;
    if (canonicalJson(definitionOf(current)) === canonicalJson(wanted)) continue;
    await createItemVersion(sctx, def.code, def);
    summary.itemsVersioned.push(def.code);
  }
  return summary;
}
