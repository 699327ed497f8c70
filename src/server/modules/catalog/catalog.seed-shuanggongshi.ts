import type { ItemDefinition, JsonSchema, Severity } from '../../../domain/catalog';
import { SUBJECT_TYPES } from '../../../domain/subject-types';
import {
  amount,
  choice,
  choices,
  citizenIdShape,
  date,
  idNumber,
  idType,
  objectSchema,
  party,
  remark,
  text,
  uscc,
  visibility,
  when,
  whenContains,
} from './catalog.seed-fields';

/*
 * The two "双公示" items in the current layout (REFERENCE §2.3, §2.4). Requirement flags follow
 * common provincial practice and are [unconfirmed] against the official standard; ingestion also
 * accepts the 2016 layout through x-aliases and `layoutVariants.legacy2016`.
 */

const LEGAL_REP_CODES = (p: string) => ({
  [`${p}_FRDB`]: text('法定代表人', `${p}_FRDB`, { max: 100, aliases: ['法定代表人姓名'] }),
  [`${p}_FR_ZJLX`]: idType('法定代表人证件类型', `${p}_FR_ZJLX`),
  [`${p}_FR_ZJHM`]: idNumber('法定代表人证件号码', `${p}_FR_ZJHM`, {
    aliases: [`${p}_FR_SFZH`, '法定代表人身份证号'],
  }),
});

/** The six 行政相对人代码 columns of the current template, with their header names. */
function partyCodes(p: string): Record<string, JsonSchema> {
  return {
    [`${p}_XDR_GSZC`]: text('工商注册号', `${p}_XDR_GSZC`, {
      max: 15,
      // 工商登记码: the 2016 template's name for the same number (REFERENCE §2.2).
      aliases: ['行政相对人代码_2（工商注册号）', '工商注册号码', '工商登记码'],
    }),
    [`${p}_XDR_ZZJG`]: text('组织机构代码', `${p}_XDR_ZZJG`, {
      max: 10,
      aliases: ['行政相对人代码_3（组织机构代码）'],
      orgCodeOf: `${p}_XDR_SHXYM`,
    }),
    [`${p}_XDR_SWDJ`]: text('税务登记号', `${p}_XDR_SWDJ`, {
      max: 20,
      aliases: ['行政相对人代码_4（税务登记号）', '行政相对人代码_4'],
    }),
    [`${p}_XDR_SYDW`]: text('事业单位证书号', `${p}_XDR_SYDW`, {
      max: 12,
      aliases: ['行政相对人代码_5（事业单位证书号）'],
    }),
    [`${p}_XDR_SHZZ`]: text('社会组织登记证号', `${p}_XDR_SHZZ`, {
      max: 50,
      aliases: ['行政相对人代码_6（社会组织登记证号）', '行政相对人代码_6'],
    }),
  };
}

/** Header names whose meaning differs between the 2016 and the current templates (REFERENCE §2.2). */
function variants(p: string): Record<string, Record<string, string>> {
  return {
    current: {
      行政相对人代码_2: `${p}_XDR_GSZC`,
      行政相对人代码_3: `${p}_XDR_ZZJG`,
      行政相对人代码_5: `${p}_XDR_SYDW`,
    },
    legacy2016: {
      行政相对人代码_2: `${p}_XDR_ZZJG`,
      行政相对人代码_3: `${p}_XDR_GSZC`,
      行政相对人代码_5: `${p}_XDR_ZJHM`,
    },
  };
}

function partyBlock(p: string) {
  const base = party(`${p}_XDR`);
  const props: Record<string, JsonSchema> = { ...base.properties };
  props[`${p}_XDR_SHXYM`] = uscc('统一社会信用代码', `${p}_XDR_SHXYM`, {
    aliases: ['行政相对人代码_1（统一社会信用代码）', '行政相对人代码_1'],
  });
  // The 2016 template's 行政相对人代码_5 column, also found under its bare name (REFERENCE §2.2).
  props[`${p}_XDR_ZJHM`] = idNumber('证件号码', `${p}_XDR_ZJHM`, { aliases: ['居民身份证号'] });
  const codes = partyCodes(p);
  const rep = LEGAL_REP_CODES(p);
  return {
    properties: { ...props, ...codes, ...rep },
    required: base.required,
    allOf: [
      ...base.allOf,
      when(`${p}_XDR_LB`, '法人及非法人组织', { required: [`${p}_FRDB`] }),
      citizenIdShape(`${p}_FR_ZJLX`, `${p}_FR_ZJHM`),
    ],
    dependentRequired: { ...base.dependentRequired, [`${p}_FR_ZJHM`]: [`${p}_FR_ZJLX`] },
    keyFields: base.keyFields,
    shared: [`${p}_XDR_ZJLX`, `${p}_FR_ZJLX`],
  };
}

const ALL_SUBJECTS = [...SUBJECT_TYPES];

// ---- 行政许可 ----

export const LICENCE_CATEGORIES = ['普通', '特许', '认可', '核准', '登记', '其他'] as const;

function licensing(): ItemDefinition {
  const party = partyBlock('XK');
  const properties: Record<string, JsonSchema> = {
    ...party.properties,
    XK_XKWS: text('行政许可决定文书名称', 'XK_XKWS', { max: 200 }),
    XK_WSH: text('行政许可决定文书号', 'XK_WSH', { max: 128, aliases: ['行政许可决定书文号'] }),
    XK_XKLB: choice('许可类别', 'XK_XKLB', LICENCE_CATEGORIES, {
      // "one implementation codes them 01–06" in this order [unconfirmed]
      valueAliases: { '01': '普通', '02': '特许', '03': '认可', '04': '核准', '05': '登记', '06': '其他' },
      aliases: ['审批类别'],
    }),
    XK_XKZS: text('许可证书名称', 'XK_XKZS', { max: 200 }),
    XK_XKBH: text('许可编号', 'XK_XKBH', { max: 100 }),
    XK_NR: text('许可内容', 'XK_NR', { max: 4000 }),
    XK_JDRQ: date('许可决定日期', 'XK_JDRQ'),
    XK_YXQZ: date('有效期自', 'XK_YXQZ'),
    XK_YXQZI: date('有效期至', 'XK_YXQZI', {
      description: '2099-12-31 表示长期有效 / 2099-12-31 means long-term',
      aliases: ['许可截止期'],
      notBefore: ['XK_JDRQ', 'XK_YXQZ'],
    }),
    XK_XKJG: text('许可机关', 'XK_XKJG', { max: 200 }),
    XK_XKJGDM: uscc('许可机关统一社会信用代码', 'XK_XKJGDM'),
    XK_ZT: choice('当前状态', 'XK_ZT', ['有效', '无效'], { valueAliases: { '1': '有效', '2': '无效' } }),
    XK_LYDW: text('数据来源单位', 'XK_LYDW', { max: 200 }),
    XK_LYDWDM: uscc('数据来源单位统一社会信用代码', 'XK_LYDWDM'),
    BZ: remark(),
  };
  return {
    code: 'XZXK',
    nameZh: '行政许可信息',
    nameEn: 'Administrative licensing decisions',
    categoryCode: 'ADM',
    legalBasis: [
      { instrument: '《中华人民共和国行政许可法》', article: '第四十条', rank: 'law' },
      {
        instrument: '《企业信息公示暂行条例》',
        article: '第七条 (待核实)',
        rank: 'administrative_regulation',
      },
      {
        instrument:
          '《国务院关于建立完善守信联合激励和失信联合惩戒制度加快推进社会诚信建设的指导意见》（国发〔2016〕33号）',
        rank: 'central_policy',
      },
      {
        instrument: '国家发展改革委办公厅关于“双公示”工作的通知（发改办财金〔2018〕424号；标题待核实）',
        rank: 'normative_document',
        note: '7 个工作日内公示 / publish within 7 working days',
      },
    ],
    subjectTypes: ALL_SUBJECTS,
    payloadSchema: objectSchema(
      properties,
      [
        ...party.required,
        'XK_XKWS',
        'XK_WSH',
        'XK_XKLB',
        'XK_NR',
        'XK_JDRQ',
        'XK_YXQZ',
        'XK_YXQZI',
        'XK_XKJG',
        'XK_XKJGDM',
        'XK_ZT',
        'XK_LYDW',
        'XK_LYDWDM',
      ],
      { allOf: party.allOf, dependentRequired: party.dependentRequired },
    ),
    fieldVisibility: visibility(properties, { shared: [...party.shared, 'BZ'] }),
    severityRule: { kind: 'none' },
    periodRule: { kind: 'validity', field: 'XK_YXQZI' },
    keyFields: { ...party.keyFields, docNo: 'XK_WSH', decisionDate: 'XK_JDRQ', validityEnd: 'XK_YXQZI' },
    layoutVariants: variants('XK'),
  };
}

// ---- 行政处罚 ----

/**
 * Individual penalty types (行政处罚法 2021 Art. 9, with the pre-2021 licence/执照 wording kept
 * apart); a record lists one or more.
 */
export const PENALTY_TYPES = [
  '警告',
  '通报批评',
  '罚款',
  '没收违法所得',
  '没收非法财物',
  '暂扣许可证件',
  '暂扣执照',
  '降低资质等级',
  '吊销许可证件',
  '吊销执照',
  '限制开展生产经营活动',
  '责令停产停业',
  '责令关闭',
  '限制从业',
  '行政拘留',
  '其他',
] as const;

/**
 * Severity by penalty type (国办发〔2025〕22号 / NDRC Order 36 examples, REFERENCE §5.2): warnings
 * and circulated criticism minor; fines, confiscation and suspension general; revocation,
 * downgrading, closure, restrictions and detention serious. The heaviest type of a record wins;
 * a severity declared by the department (e.g. a very large fine) takes precedence.
 */
export const PENALTY_SEVERITY: Record<string, Severity> = {
  警告: 'MINOR',
  通报批评: 'MINOR',
  罚款: 'GENERAL',
  没收违法所得: 'GENERAL',
  没收非法财物: 'GENERAL',
  暂扣许可证件: 'GENERAL',
  暂扣执照: 'GENERAL',
  降低资质等级: 'SERIOUS',
  吊销许可证件: 'SERIOUS',
  吊销执照: 'SERIOUS',
  限制开展生产经营活动: 'SERIOUS',
  责令停产停业: 'SERIOUS',
  责令关闭: 'SERIOUS',
  限制从业: 'SERIOUS',
  行政拘留: 'SERIOUS',
};

function penalty(): ItemDefinition {
  const party = partyBlock('CF');
  const properties: Record<string, JsonSchema> = {
    ...party.properties,
    CF_WSH: text('行政处罚决定书文号', 'CF_WSH', { max: 128 }),
    CF_WFXW: text('违法行为类型', 'CF_WFXW', { max: 500 }),
    CF_SY: text('违法事实', 'CF_SY', { max: 4000, aliases: ['处罚事由'] }),
    CF_YJ: text('处罚依据', 'CF_YJ', { max: 2000 }),
    CF_CFLB: choices('处罚类别', 'CF_CFLB', PENALTY_TYPES, {
      aliases: ['处罚类别1', '处罚类别2'],
      valueAliases: {
        暂扣许可证: '暂扣许可证件',
        吊销许可证: '吊销许可证件',
        暂扣营业执照: '暂扣执照',
        吊销营业执照: '吊销执照',
        拘留: '行政拘留',
        // 行政处罚法 (2021) 第九条第六项, written out as one value (its 、 is not a list separator).
        '法律、行政法规规定的其他行政处罚': '其他',
        '法律、行政法规规定的其他': '其他',
      },
    }),
    CF_NR: text('处罚内容', 'CF_NR', { max: 4000, aliases: ['处罚结果'] }),
    CF_NR_FK: amount('罚款金额（万元）', 'CF_NR_FK', { aliases: ['罚款金额'] }),
    CF_NR_WFFF: amount('没收违法所得、没收非法财物的金额（万元）', 'CF_NR_WFFF', {
      aliases: ['没收违法所得、没收非法财物的金额'],
    }),
    CF_NR_ZKDX: text('暂扣或吊销证照名称及编号', 'CF_NR_ZKDX', { max: 500 }),
    CF_JDRQ: date('处罚决定日期', 'CF_JDRQ'),
    CF_YXQ: date('处罚有效期', 'CF_YXQ', {
      description: '处罚效力终止日期 / the date the penalty stops having effect',
      notBefore: ['CF_JDRQ'],
    }),
    CF_GSJZQ: date('公示截止期', 'CF_GSJZQ', {
      description:
        '平台按严重程度计算；报送值仅作参考 / computed by the platform from severity; a submitted value is kept for reference',
      notBefore: ['CF_JDRQ'],
    }),
    CF_CFJG: text('处罚机关', 'CF_CFJG', { max: 200 }),
    CF_CFJGDM: uscc('处罚机关统一社会信用代码', 'CF_CFJGDM'),
    CF_SJLY: text('数据来源单位', 'CF_SJLY', { max: 200 }),
    CF_SJLYDM: uscc('数据来源单位统一社会信用代码', 'CF_SJLYDM'),
    BZ: remark(),
  };
  return {
    code: 'XZCF',
    nameZh: '行政处罚信息',
    nameEn: 'Administrative penalty decisions',
    categoryCode: 'ADM',
    legalBasis: [
      {
        instrument: '《中华人民共和国行政处罚法》（2021年修订）',
        article: '第九条、第四十八条',
        rank: 'law',
      },
      {
        instrument: '《企业信息公示暂行条例》',
        article: '第七条 (待核实)',
        rank: 'administrative_regulation',
      },
      {
        instrument:
          '《国务院关于建立完善守信联合激励和失信联合惩戒制度加快推进社会诚信建设的指导意见》（国发〔2016〕33号）',
        rank: 'central_policy',
      },
      {
        instrument: '《国务院办公厅关于进一步完善信用修复制度的实施方案》（国办发〔2025〕22号）',
        rank: 'central_policy',
      },
      {
        instrument: '《信用修复管理办法》（国家发展改革委令第36号）',
        rank: 'departmental_rule',
        note: '2026-04-01 起施行',
      },
    ],
    subjectTypes: ALL_SUBJECTS,
    payloadSchema: objectSchema(
      properties,
      [
        ...party.required,
        'CF_WSH',
        'CF_WFXW',
        'CF_SY',
        'CF_YJ',
        'CF_CFLB',
        'CF_NR',
        'CF_JDRQ',
        'CF_CFJG',
        'CF_CFJGDM',
        'CF_SJLY',
        'CF_SJLYDM',
      ],
      {
        allOf: [
          ...party.allOf,
          whenContains('CF_CFLB', ['罚款'], { required: ['CF_NR_FK'] }),
          whenContains('CF_CFLB', ['没收违法所得', '没收非法财物'], { required: ['CF_NR_WFFF'] }),
          whenContains('CF_CFLB', ['暂扣许可证件', '暂扣执照', '吊销许可证件', '吊销执照'], {
            required: ['CF_NR_ZKDX'],
          }),
        ],
        dependentRequired: party.dependentRequired,
      },
    ),
    fieldVisibility: visibility(properties, { shared: [...party.shared, 'BZ'] }),
    severityRule: { kind: 'derived', field: 'CF_CFLB', map: PENALTY_SEVERITY, default: 'GENERAL' },
    periodRule: { kind: 'severity' },
    keyFields: { ...party.keyFields, docNo: 'CF_WSH', decisionDate: 'CF_JDRQ' },
    layoutVariants: variants('CF'),
  };
}

export const SHUANG_GONGSHI_ITEMS: readonly ItemDefinition[] = [licensing(), penalty()];
