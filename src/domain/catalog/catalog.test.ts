import { describe, expect, it } from 'vitest';
import {
  basesReach,
  checkCrossFields,
  checkItemDefinition,
  decideSeverity,
  findProhibited,
  LEGAL_BASIS_RANKS,
  parseItemDefinition,
  PROHIBITED_DATA_CATEGORIES,
  rankAtLeast,
  RIGHTS_REDUCING_MIN_RANK,
  visibleAt,
  type ItemDefinitionInput,
  type SeverityRule,
} from '.';

function def(over: Partial<ItemDefinitionInput> = {}): ItemDefinitionInput {
  return {
    code: 'TEST_ITEM',
    nameZh: '测试事项',
    nameEn: 'Test item',
    categoryCode: 'ADM',
    legalBasis: [{ instrument: '《中华人民共和国行政处罚法》', article: '第四十八条', rank: 'law' }],
    subjectTypes: ['ENTERPRISE'],
    payloadSchema: {
      type: 'object',
      additionalProperties: false,
      required: ['WSH', 'JDRQ', 'MC', 'SHXYM'],
      properties: {
        WSH: { type: 'string', title: '文书号', 'x-code': 'WSH' },
        JDRQ: { type: 'string', format: 'date', title: '决定日期' },
        MC: { type: 'string', title: '名称' },
        SHXYM: { type: 'string', title: '统一社会信用代码' },
        LB: { type: 'string', title: '类别', enum: ['甲', '乙'] },
        BZ: { type: 'string', title: '备注' },
      },
    },
    fieldVisibility: {
      WSH: 'public',
      JDRQ: 'public',
      MC: 'public',
      SHXYM: 'public',
      LB: 'public',
      BZ: 'shared',
    },
    severityRule: { kind: 'declared' },
    periodRule: { kind: 'severity' },
    keyFields: { docNo: 'WSH', decisionDate: 'JDRQ', subjectName: 'MC', subjectUscc: 'SHXYM' },
    ...over,
  };
}

const codes = (d: ItemDefinitionInput) =>
  checkItemDefinition(d, { categories: ['ADM', 'REG'] }).map((p) => p.code);

function withProps(
  extra: Record<string, unknown>,
  vis: Record<string, string> = {},
): Partial<ItemDefinitionInput> {
  const base = def();
  const schema = base.payloadSchema as { properties: Record<string, unknown> };
  return {
    payloadSchema: { ...(base.payloadSchema as object), properties: { ...schema.properties, ...extra } },
    fieldVisibility: {
      ...base.fieldVisibility,
      ...Object.fromEntries(Object.keys(extra).map((k) => [k, 'public'])),
      ...vis,
    },
  };
}

describe('legal-basis ranks', () => {
  it('are ordered strongest first with decreasing strength', () => {
    expect(LEGAL_BASIS_RANKS.map((r) => r.code)).toEqual([
      'law',
      'administrative_regulation',
      'local_regulation',
      'central_policy',
      'departmental_rule',
      'local_government_rule',
      'normative_document',
    ]);
    const s = LEGAL_BASIS_RANKS.map((r) => r.strength);
    expect([...s].sort((a, b) => b - a)).toEqual(s);
    expect(new Set(s).size).toBe(s.length);
  });

  it('answers "rank ≥ X"', () => {
    expect(rankAtLeast('law', 'central_policy')).toBe(true);
    expect(rankAtLeast('local_regulation', RIGHTS_REDUCING_MIN_RANK)).toBe(true);
    expect(rankAtLeast('departmental_rule', RIGHTS_REDUCING_MIN_RANK)).toBe(false);
    expect(basesReach([{ rank: 'normative_document' }, { rank: 'central_policy' }], 'central_policy')).toBe(
      true,
    );
    expect(basesReach([], 'normative_document')).toBe(false);
  });
});

describe('prohibited data categories', () => {
  it('covers the categories of REFERENCE §3.3 and §12.1, each labelled in both languages', () => {
    const all = PROHIBITED_DATA_CATEGORIES.map((c) => c.code);
    for (const c of [
      'religion',
      'ethnicity',
      'family_background',
      'political_belief',
      'body_shape',
      'genetic',
      'biometric',
      'blood_type',
      'health',
      'income',
      'deposits',
      'securities',
      'commercial_insurance',
      'real_estate',
      'tax_amount',
      'social_insurance_amount',
    ])
      expect(all).toContain(c);
    for (const c of PROHIBITED_DATA_CATEGORIES) {
      expect(c.zh && c.en).toBeTruthy();
      expect(c.keywordsZh.length + c.keywordsEn.length).toBeGreaterThan(0);
    }
  });

  it('finds declared categories and their aliases', () => {
    expect(findProhibited({ key: 'X', dataCategory: 'health' })?.category.code).toBe('health');
    expect(findProhibited({ key: 'X', dataCategory: 'Fingerprint' })?.category.code).toBe('biometric');
    expect(findProhibited({ key: 'X', dataCategory: 'identity_document' })).toBeNull();
  });

  it.each([
    ['ZJXY', '宗教信仰', 'religion'],
    ['MZ', '民族', 'ethnicity'],
    ['ZZMM', '政治面貌', 'political_belief'],
    ['XX', '血型', 'blood_type'],
    ['JB', '既往病史', 'health'],
    ['ZW', '指纹特征', 'biometric'],
    ['RL', '人脸图像', 'biometric'],
    ['SR', '个人年收入', 'income'],
    ['CK', '银行存款余额', 'deposits'],
    ['FC', '名下房产', 'real_estate'],
    ['NSE', '年度纳税额', 'tax_amount'],
    ['SB', '社保缴费基数', 'social_insurance_amount'],
    ['JY', '基因检测结果', 'genetic'],
  ])('finds %s (%s) by its Chinese title', (key, title, category) => {
    expect(findProhibited({ key, title })?.category.code).toBe(category);
  });

  it.each([
    ['religiousBelief', 'religion'],
    ['blood_type', 'blood_type'],
    ['medicalHistory', 'health'],
    ['fingerprints', 'biometric'],
    ['annualIncome', 'income'],
    ['voiceprint', 'biometric'],
  ])('finds the English key %s', (key, category) => {
    expect(findProhibited({ key })?.category.code).toBe(category);
  });

  it('leaves every real 双公示 field alone (no false positives)', () => {
    const titles = [
      '行政相对人名称',
      '行政相对人类别',
      '统一社会信用代码',
      '工商注册号',
      '组织机构代码',
      '税务登记号',
      '行政相对人代码_4（税务登记号）',
      '事业单位证书号',
      '社会组织登记证号',
      '法定代表人',
      '法定代表人证件类型',
      '法定代表人证件号码',
      '证件类型',
      '证件号码',
      '行政许可决定文书名称',
      '行政许可决定文书号',
      '许可类别',
      '许可证书名称',
      '许可编号',
      '许可内容',
      '许可决定日期',
      '有效期自',
      '有效期至',
      '许可机关',
      '许可机关统一社会信用代码',
      '当前状态',
      '数据来源单位',
      '数据来源单位统一社会信用代码',
      '备注',
      '行政处罚决定书文号',
      '违法行为类型',
      '违法事实',
      '处罚依据',
      '处罚类别',
      '处罚内容',
      '罚款金额（万元）',
      '没收违法所得、没收非法财物的金额（万元）',
      '暂扣或吊销证照名称及编号',
      '处罚决定日期',
      '处罚有效期',
      '公示截止期',
      '处罚机关',
      '处罚机关统一社会信用代码',
      '营业收入',
      '非法吸收公众存款金额',
      '不动产登记机构',
    ];
    for (const title of titles) expect(findProhibited({ key: 'CF_X', title }), title).toBeNull();
    for (const key of ['CF_NR_FK', 'XK_XDR_SWDJ', 'taxRegistrationNo', 'fineAmount', 'incomeTaxPenalty'])
      expect(findProhibited({ key }), key).toBeNull();
  });
});

describe('checkItemDefinition', () => {
  it('accepts a complete definition and types it', () => {
    expect(codes(def())).toEqual([]);
    const parsed = parseItemDefinition(def());
    expect(parsed.ok && parsed.value.keyFields.docNo).toBe('WSH');
  });

  it('requires a legal basis, each with instrument and a known rank', () => {
    expect(codes(def({ legalBasis: [] }))).toContain('LEGAL_BASIS_REQUIRED');
    expect(codes(def({ legalBasis: undefined }))).toContain('LEGAL_BASIS_REQUIRED');
    const bad = checkItemDefinition(def({ legalBasis: [{ instrument: '', rank: 'decree' }] }));
    expect(bad.map((p) => p.field)).toEqual(['legalBasis[0].instrument', 'legalBasis[0].rank']);
    expect(bad[0]?.message.zh).toBeTruthy();
    expect(bad[0]?.message.en).toBeTruthy();
  });

  it('refuses a normative document alone, accepts it beside a stronger basis or a rule alone', () => {
    const normative = { instrument: '某某规范性文件', rank: 'normative_document' };
    expect(codes(def({ legalBasis: [normative] }))).toEqual(['LEGAL_BASIS_RANK_TOO_LOW']);
    expect(
      codes(def({ legalBasis: [normative, { instrument: '某部门规章', rank: 'departmental_rule' }] })),
    ).toEqual([]);
    expect(
      codes(def({ legalBasis: [{ instrument: '某市政府规章', rank: 'local_government_rule' }] })),
    ).toEqual([]);
  });

  it('refuses prohibited fields by title, by declared category and inside nested objects, naming the field', () => {
    const byTitle = checkItemDefinition(def(withProps({ ZJXY: { type: 'string', title: '宗教信仰' } })));
    expect(byTitle.map((p) => p.code)).toEqual(['PROHIBITED_FIELD']);
    expect(byTitle[0]?.field).toBe('payloadSchema.properties.ZJXY');
    expect(byTitle[0]?.message.zh).toContain('ZJXY');
    expect(byTitle[0]?.message.zh).toContain('宗教信仰');
    expect(byTitle[0]?.message.en).toContain('religious belief');
    const declared = checkItemDefinition(
      def(withProps({ JKZK: { type: 'string', title: '情况说明', 'x-data-category': 'health' } })),
    );
    expect(declared[0]?.code).toBe('PROHIBITED_FIELD');
    expect(declared[0]?.message.en).toContain('JKZK');
    const nested = checkItemDefinition(
      def(
        withProps({
          CY: { type: 'object', title: '成员', properties: { XX: { type: 'string', title: '血型' } } },
        }),
      ),
    );
    expect(nested.map((p) => p.field)).toEqual(['payloadSchema.properties.CY.properties.XX']);
  });

  it('requires a closed object schema with titled properties', () => {
    expect(codes(def({ payloadSchema: { type: 'array' } }))).toEqual(['SCHEMA_INVALID']);
    expect(codes(def({ payloadSchema: 'nope' }))).toEqual(['SCHEMA_INVALID']);
    const open = def();
    (open.payloadSchema as Record<string, unknown>).additionalProperties = true;
    expect(codes(open)).toEqual(['SCHEMA_INVALID']);
    expect(codes(def(withProps({ X: { type: 'string' } })))).toEqual(['FIELD_TITLE_REQUIRED']);
    const req = def();
    (req.payloadSchema as Record<string, unknown>).required = ['WSH', 'NOPE'];
    expect(codes(req)).toEqual(['SCHEMA_INVALID']);
  });

  it('requires a valid visibility for every field, and never public for sensitive ones', () => {
    const missing = def();
    missing.fieldVisibility = { ...missing.fieldVisibility };
    delete (missing.fieldVisibility as Record<string, string>).BZ;
    const p = checkItemDefinition(missing);
    expect(p.map((x) => [x.code, x.field])).toEqual([['VISIBILITY_MISSING', 'fieldVisibility.BZ']]);
    expect(codes(def({ fieldVisibility: { ...def().fieldVisibility, BZ: 'secret' } }))).toEqual([
      'VISIBILITY_INVALID',
    ]);
    expect(codes(def({ fieldVisibility: { ...def().fieldVisibility, GHOST: 'public' } }))).toEqual([
      'VISIBILITY_UNKNOWN_FIELD',
    ]);
    expect(
      codes(def(withProps({ ZJHM: { type: 'string', title: '证件号码', 'x-sensitive': true } }))),
    ).toEqual(['SENSITIVE_FIELD_PUBLIC']);
  });

  it('checks key fields: required, existing, dates, identity for natural persons and organisations', () => {
    expect(codes(def({ keyFields: { docNo: 'WSH', decisionDate: 'JDRQ', subjectUscc: 'SHXYM' } }))).toEqual([
      'KEY_FIELD_REQUIRED',
    ]);
    const unknown = checkItemDefinition(def({ keyFields: { ...def().keyFields, docNo: 'NOPE' } }));
    expect(unknown.map((p) => [p.code, p.field])).toEqual([['KEY_FIELD_UNKNOWN', 'keyFields.docNo']]);
    expect(codes(def({ keyFields: { ...def().keyFields, decisionDate: 'MC' } }))).toEqual([
      'KEY_FIELD_INVALID',
    ]);
    expect(codes(def({ subjectTypes: ['ENTERPRISE', 'NATURAL_PERSON'] }))).toEqual(['KEY_FIELD_REQUIRED']);
    expect(codes(def({ keyFields: { docNo: 'WSH', decisionDate: 'JDRQ', subjectName: 'MC' } }))).toEqual([
      'KEY_FIELD_REQUIRED',
    ]);
  });

  it('checks subject types and the category', () => {
    expect(codes(def({ subjectTypes: [] }))).toEqual(['SUBJECT_TYPES_REQUIRED']);
    expect(codes(def({ subjectTypes: ['ENTERPRISE', 'ALIEN'] }))).toEqual(['SUBJECT_TYPE_UNKNOWN']);
    expect(codes(def({ categoryCode: 'NOPE' }))).toEqual(['CATEGORY_UNKNOWN']);
    expect(codes(def({ code: 'lower' }))).toEqual(['CODE_INVALID']);
  });

  it('checks the severity rule', () => {
    expect(codes(def({ severityRule: { kind: 'guess' } }))).toEqual(['SEVERITY_RULE_INVALID']);
    expect(
      codes(
        def({ severityRule: { kind: 'derived', field: 'NOPE', map: { 甲: 'MINOR' }, default: 'GENERAL' } }),
      ),
    ).toEqual(['SEVERITY_RULE_INVALID']);
    expect(
      codes(
        def({ severityRule: { kind: 'derived', field: 'LB', map: { 丙: 'MINOR' }, default: 'GENERAL' } }),
      ),
    ).toEqual(['SEVERITY_RULE_INVALID']);
    expect(
      codes(def({ severityRule: { kind: 'derived', field: 'LB', map: { 甲: 'HUGE' }, default: 'GENERAL' } })),
    ).toEqual(['SEVERITY_RULE_INVALID']);
    expect(
      codes(
        def({ severityRule: { kind: 'derived', field: 'LB', map: { 甲: 'MINOR' }, default: 'GENERAL' } }),
      ),
    ).toEqual([]);
  });

  it('checks the period rule shape and its consistency with severity and fields', () => {
    expect(codes(def({ periodRule: { kind: 'forever' } }))).toEqual(['PERIOD_RULE_INVALID']);
    expect(codes(def({ periodRule: { kind: 'fixed', months: 0 } }))).toEqual(['PERIOD_RULE_INVALID']);
    expect(codes(def({ periodRule: { kind: 'fixed', months: 36 } }))).toEqual([]);
    expect(codes(def({ severityRule: { kind: 'none' } }))).toEqual(['PERIOD_RULE_INVALID']);
    expect(
      codes(def({ severityRule: { kind: 'derived', field: 'LB', map: { 甲: 'MINOR' }, default: null } })),
    ).toEqual(['PERIOD_RULE_INVALID']);
    expect(codes(def({ periodRule: { kind: 'validity', field: 'MC' } }))).toEqual(['PERIOD_RULE_INVALID']);
    const ok = def(withProps({ YXQZ: { type: 'string', format: 'date', title: '有效期至' } }));
    expect(codes({ ...ok, periodRule: { kind: 'validity', field: 'YXQZ' } })).toEqual([
      'PERIOD_RULE_INVALID',
    ]); // not required
    (ok.payloadSchema as { required: string[] }).required.push('YXQZ');
    expect(codes({ ...ok, periodRule: { kind: 'validity', field: 'YXQZ' } })).toEqual([]);
    const parsed = parseItemDefinition({ ...ok, periodRule: { kind: 'validity', field: 'YXQZ' } });
    expect(parsed.ok && parsed.value.keyFields.validityEnd).toBe('YXQZ');
  });

  it('refuses a header name claimed by two fields', () => {
    expect(codes(def(withProps({ A: { type: 'string', title: '甲', 'x-aliases': ['名称'] } })))).toEqual([
      'ALIAS_CONFLICT',
    ]);
  });
});

describe('decideSeverity', () => {
  const rule: SeverityRule = {
    kind: 'derived',
    field: 'CFLB',
    map: { 警告: 'MINOR', 罚款: 'GENERAL', 吊销执照: 'SERIOUS' },
    default: 'GENERAL',
  };

  it('derives the heaviest mapped value, falls back to the default, and lets a declaration win', () => {
    expect(decideSeverity(rule, { CFLB: ['警告'] })).toEqual({ ok: true, severity: 'MINOR' });
    expect(decideSeverity(rule, { CFLB: ['警告', '吊销执照', '罚款'] })).toEqual({
      ok: true,
      severity: 'SERIOUS',
    });
    expect(decideSeverity(rule, { CFLB: '罚款' })).toEqual({ ok: true, severity: 'GENERAL' });
    expect(decideSeverity(rule, { CFLB: ['其他'] })).toEqual({ ok: true, severity: 'GENERAL' });
    expect(decideSeverity(rule, { CFLB: ['警告', '其他'] })).toEqual({ ok: true, severity: 'GENERAL' });
    expect(decideSeverity(rule, { CFLB: ['吊销执照'] }, 'MINOR')).toEqual({ ok: true, severity: 'MINOR' });
    expect(decideSeverity({ ...rule, default: null }, { CFLB: ['其他'] })).toEqual({
      ok: true,
      severity: null,
    });
  });

  it('requires a declaration for declared items and ignores it for items without severity', () => {
    expect(decideSeverity({ kind: 'declared' }, {})).toEqual({ ok: false, reason: 'SEVERITY_REQUIRED' });
    expect(decideSeverity({ kind: 'declared' }, {}, 'SERIOUS')).toEqual({ ok: true, severity: 'SERIOUS' });
    expect(decideSeverity({ kind: 'none' }, {}, 'SERIOUS')).toEqual({ ok: true, severity: null });
  });
});

describe('visibility', () => {
  it('widens from internal to shared to public', () => {
    expect(visibleAt('public', 'public')).toBe(true);
    expect(visibleAt('shared', 'public')).toBe(false);
    expect(visibleAt('shared', 'shared')).toBe(true);
    expect(visibleAt('internal', 'shared')).toBe(false);
    expect(visibleAt('internal', 'internal')).toBe(true);
  });
});

describe('rules between fields (x-not-before, x-org-code-of)', () => {
  const schema = {
    type: 'object',
    additionalProperties: false,
    properties: {
      JDRQ: { type: 'string', format: 'date', title: '决定日期' },
      YXQZ: { type: 'string', format: 'date', title: '有效期自' },
      YXQZI: { type: 'string', format: 'date', title: '有效期至', 'x-not-before': ['JDRQ', 'YXQZ'] },
      SHXYM: { type: 'string', title: '统一社会信用代码' },
      ZZJG: { type: 'string', title: '组织机构代码', 'x-org-code-of': 'SHXYM' },
    },
  };

  it('finds every date before one it may not precede, naming both fields', () => {
    expect(checkCrossFields(schema, { JDRQ: '2026-04-01', YXQZ: '2026-04-01', YXQZI: '2026-04-01' })).toEqual(
      [],
    );
    expect(checkCrossFields(schema, { JDRQ: '2026-04-01', YXQZI: '2099-12-31' })).toEqual([]);
    // Not both given: not checked (requiredness is the schema's).
    expect(checkCrossFields(schema, { YXQZI: '2020-01-01' })).toEqual([]);
    const errs = checkCrossFields(schema, { JDRQ: '2026-04-01', YXQZ: '2026-04-05', YXQZI: '2026-03-31' });
    expect(errs.map((e) => [e.field, e.code, e.other])).toEqual([
      ['YXQZI', 'DATE_ORDER', 'JDRQ'],
      ['YXQZI', 'DATE_ORDER', 'YXQZ'],
    ]);
    expect(errs[0]?.message).toEqual({
      zh: '“有效期至”（YXQZI）（2026-03-31）早于“决定日期”（JDRQ）（2026-04-01）',
      en: 'YXQZI (有效期至) (2026-03-31) is before JDRQ (决定日期) (2026-04-01)',
    });
  });

  it('checks a rule the item implies without declaring it, once when it is declared too', () => {
    const bare = {
      type: 'object',
      properties: { JDRQ: schema.properties.JDRQ, YXQZ: schema.properties.YXQZ },
    };
    const implied = [{ field: 'YXQZ', other: 'JDRQ' }];
    expect(checkCrossFields(bare, { JDRQ: '2026-04-01', YXQZ: '2026-03-31' })).toEqual([]);
    expect(
      checkCrossFields(bare, { JDRQ: '2026-04-01', YXQZ: '2026-03-31' }, implied).map((e) => [
        e.field,
        e.code,
        e.other,
      ]),
    ).toEqual([['YXQZ', 'DATE_ORDER', 'JDRQ']]);
    const declared = checkCrossFields(schema, { JDRQ: '2026-04-01', YXQZI: '2026-03-31' }, [
      { field: 'YXQZI', other: 'JDRQ' },
    ]);
    expect(declared.map((e) => [e.field, e.other])).toEqual([['YXQZI', 'JDRQ']]);
  });

  it('compares an organisation code with the USCC it belongs to', () => {
    const uscc = '91500103MA5U7G8X2K';
    expect(checkCrossFields(schema, { SHXYM: uscc, ZZJG: 'MA5U7G8X2' })).toEqual([]);
    expect(checkCrossFields(schema, { SHXYM: uscc, ZZJG: 'ma5u7g8x-2' })).toEqual([]);
    expect(checkCrossFields(schema, { SHXYM: uscc, ZZJG: '12345678-9' })[0]).toMatchObject({
      field: 'ZZJG',
      code: 'CODE_MISMATCH',
      other: 'SHXYM',
    });
  });

  it('refuses declarations that name no other date field', () => {
    const bad = (props: Record<string, unknown>) =>
      checkItemDefinition(
        def({
          payloadSchema: {
            ...(def().payloadSchema as Record<string, unknown>),
            properties: { ...(def().payloadSchema as { properties: object }).properties, ...props },
          },
          fieldVisibility: {
            ...def().fieldVisibility,
            ...Object.fromEntries(Object.keys(props).map((k) => [k, 'public'])),
          },
        }),
      ).filter((p) => p.code === 'SCHEMA_INVALID');
    expect(bad({ YXQ: { type: 'string', format: 'date', title: '有效期', 'x-not-before': 'JDRQ' } })).toEqual(
      [],
    );
    expect(
      bad({ YXQ: { type: 'string', format: 'date', title: '有效期', 'x-not-before': 'NOPE' } }),
    ).toHaveLength(1);
    expect(
      bad({ YXQ: { type: 'string', format: 'date', title: '有效期', 'x-not-before': 'MC' } }),
    ).toHaveLength(1);
    expect(bad({ YXQ: { type: 'string', title: '有效期', 'x-not-before': 'JDRQ' } })).toHaveLength(1);
    expect(
      bad({ YXQ: { type: 'string', format: 'date', title: '有效期', 'x-not-before': [1] } }),
    ).toHaveLength(1);
    expect(bad({ ZZJG: { type: 'string', title: '组织机构代码', 'x-org-code-of': 'SHXYM' } })).toEqual([]);
  });
});
