import { describe, expect, it } from 'vitest';
import { checkItemDefinition, type ItemDefinitionInput } from '../../../domain/catalog';
import type { CatalogItem } from '../../api/types';
import { orderFields } from './fieldOrder';
import { emptyItemForm, formToBody, itemToForm, parseSeverityMap, problemToFormPath } from './itemForm';

describe('catalogue item editor', () => {
  it('a new item from the template with a legal basis passes the domain check', () => {
    const v = {
      ...emptyItemForm(),
      code: 'TEST_ITEM',
      nameZh: '测试事项',
      nameEn: 'Test item',
      categoryCode: 'ADM',
      legalBasis: [{ instrument: '《中华人民共和国行政许可法》', article: '第四十条', rank: 'law' }],
    };
    const body = formToBody(v, null, true);
    expect(checkItemDefinition(body as unknown as ItemDefinitionInput, { categories: ['ADM'] })).toEqual([]);
    expect(body).toMatchObject({
      code: 'TEST_ITEM',
      payloadSchema: { type: 'object', additionalProperties: false, required: ['WSH', 'JDRQ', 'XDR_MC'] },
      fieldVisibility: { WSH: 'public', XDR_SHXYM: 'public' },
      periodRule: { kind: 'fixed', months: 36 },
      severityRule: { kind: 'none' },
    });
  });

  it('without a legal basis the domain check names the legalBasis field, which the editor shows on its list', () => {
    const v = { ...emptyItemForm(), code: 'TEST_ITEM', nameZh: '测试', nameEn: 'Test', categoryCode: 'ADM' };
    const problems = checkItemDefinition(formToBody(v, null, true) as unknown as ItemDefinitionInput);
    expect(problems.map((p) => p.code)).toEqual(['LEGAL_BASIS_REQUIRED']);
    const resolve = problemToFormPath(v.fields);
    expect(resolve(['legalBasis'], 'LEGAL_BASIS_REQUIRED')).toEqual(['legalBasis']);
    expect(resolve(['legalBasis', 0, 'rank'], 'LEGAL_BASIS_INVALID')).toEqual(['legalBasis', 0, 'rank']);
  });

  it('a prohibited field lands on that field row', () => {
    const v = emptyItemForm();
    v.fields.push({ key: 'ZJXY', title: '宗教信仰', kind: 'string', visibility: 'internal' });
    const body = formToBody({ ...v, code: 'T2', nameZh: 't', nameEn: 't', categoryCode: 'ADM' }, null, true);
    const problem = checkItemDefinition(body as unknown as ItemDefinitionInput).find(
      (p) => p.code === 'PROHIBITED_FIELD',
    );
    expect(problem?.field).toBe('payloadSchema.properties.ZJXY');
    const resolve = problemToFormPath(v.fields);
    expect(resolve(['payloadSchema', 'properties', 'ZJXY'], 'PROHIBITED_FIELD')).toEqual([
      'fields',
      4,
      'title',
    ]);
    expect(resolve(['fieldVisibility', 'WSH'], 'VISIBILITY_INVALID')).toEqual(['fields', 0, 'visibility']);
    expect(resolve(['payloadSchema', 'additionalProperties'], 'SCHEMA_INVALID')).toEqual(['fields']);
    expect(resolve(['keyFields', 'docNo'], 'KEY_FIELD_REQUIRED')).toEqual(['keyFields', 'docNo']);
    expect(resolve(['periodRule', 'months'], 'PERIOD_RULE_INVALID')).toEqual(['periodMonths']);
    expect(resolve(['somethingElse'], 'X')).toBeNull();
  });

  it('a new version keeps what the editor does not show (patterns, aliases, conditional rules)', () => {
    const item: CatalogItem = {
      code: 'XZCF',
      version: 2,
      currentVersion: 2,
      status: 'active',
      nameZh: '行政处罚信息',
      nameEn: 'Administrative penalties',
      categoryCode: 'ADM',
      legalBasis: [{ instrument: '《行政处罚法》', rank: 'law' }],
      subjectTypes: ['ENTERPRISE'],
      payloadSchema: {
        type: 'object',
        additionalProperties: false,
        required: ['CF_WSH'],
        allOf: [{ if: {}, then: {} }],
        properties: {
          CF_WSH: { type: 'string', title: '决定文书号', pattern: '^.+$', 'x-aliases': ['文书号'] },
          CF_JDRQ: { type: 'string', format: 'date', title: '决定日期' },
          CF_LB: { type: 'string', title: '类别', enum: ['警告', '罚款'] },
          CF_CFLB: {
            type: 'array',
            title: '处罚类别',
            items: { type: 'string', enum: ['警告', '罚款'] },
            minItems: 1,
          },
          ID: { type: 'string', title: '证件号码', 'x-sensitive': true },
        },
      },
      fieldVisibility: {
        CF_WSH: 'public',
        CF_JDRQ: 'public',
        CF_LB: 'public',
        CF_CFLB: 'public',
        ID: 'internal',
      },
      severityRule: {
        kind: 'derived',
        field: 'CF_LB',
        map: { 警告: 'MINOR', 罚款: 'GENERAL' },
        default: 'GENERAL',
      },
      periodRule: { kind: 'severity' },
      keyFields: { docNo: 'CF_WSH', decisionDate: 'CF_JDRQ' },
      layoutVariants: { v2016: { 行政相对人代码_2: 'ORG' } },
      createdAt: '2026-01-01T00:00:00Z',
    };
    const form = itemToForm(item);
    // Key fields first (document, date), then the rest: the stored order is lost in jsonb.
    expect(form.fields.map((f) => [f.key, f.kind, f.required ?? false, f.sensitive])).toEqual([
      ['CF_WSH', 'string', true, false],
      ['CF_JDRQ', 'date', false, false],
      ['CF_CFLB', 'list', false, false],
      ['CF_LB', 'enum', false, false],
      ['ID', 'string', false, true],
    ]);
    expect(orderFields(['BZ', 'A', 'NAME', 'REQ'], { subjectName: 'NAME' }, ['REQ'])).toEqual([
      'NAME',
      'REQ',
      'A',
      'BZ',
    ]);
    expect(form.severityMap).toBe('警告=MINOR\n罚款=GENERAL');
    const body = formToBody(form, item, false);
    expect(body.code).toBeUndefined();
    expect(body.payloadSchema).toEqual(item.payloadSchema);
    expect(body.severityRule).toEqual(item.severityRule);
    expect(body.layoutVariants).toEqual(item.layoutVariants);
    expect(body.keyFields).toEqual(item.keyFields);
  });

  it('reads the severity map one value per line', () => {
    expect(parseSeverityMap('警告=MINOR\n\n 罚款 = GENERAL \nbad line')).toEqual({
      警告: 'MINOR',
      罚款: 'GENERAL',
    });
  });
});

describe('new versions of the national catalogue', () => {
  it('edits the English title of a field (x-title-en), and removes it when emptied', () => {
    const item = {
      code: 'T',
      version: 1,
      currentVersion: 1,
      status: 'active',
      nameZh: '测试',
      nameEn: 'Test',
      categoryCode: 'ADM',
      legalBasis: [{ instrument: '《行政处罚法》', rank: 'law' }],
      subjectTypes: ['ENTERPRISE'],
      payloadSchema: {
        type: 'object',
        properties: {
          WSH: { type: 'string', title: '决定文书号', 'x-title-en': 'Decision number' },
          JDRQ: { type: 'string', format: 'date', title: '决定日期' },
        },
      },
      fieldVisibility: { WSH: 'public', JDRQ: 'public' },
      severityRule: { kind: 'none' },
      periodRule: { kind: 'fixed', months: 36 },
      keyFields: { docNo: 'WSH', decisionDate: 'JDRQ' },
      createdAt: '2026-01-01T00:00:00Z',
    } as unknown as CatalogItem;
    const form = itemToForm(item);
    expect(form.fields.find((f) => f.key === 'WSH')?.titleEn).toBe('Decision number');
    const edited = {
      ...form,
      fields: form.fields.map((f) =>
        f.key === 'WSH' ? { ...f, titleEn: '' } : { ...f, titleEn: ' Decision date ' },
      ),
    };
    const schema = formToBody(edited, item, false).payloadSchema as {
      properties: Record<string, Record<string, unknown>>;
    };
    const props = schema.properties;
    expect(props.WSH?.['x-title-en']).toBeUndefined();
    expect(props.JDRQ?.['x-title-en']).toBe('Decision date');
  });

  it('editing nothing gives back each seeded definition unchanged', async () => {
    const { NATIONAL_ITEMS } = await import('../../../server/modules/catalog/catalog.seed');
    expect(NATIONAL_ITEMS.length).toBeGreaterThan(5);
    for (const def of NATIONAL_ITEMS) {
      const item = {
        ...def,
        version: 1,
        currentVersion: 1,
        status: 'active',
        createdAt: '2026-01-01T00:00:00Z',
      } as unknown as CatalogItem;
      const body = formToBody(itemToForm(item), item, false);
      expect(body.payloadSchema, def.code).toEqual(def.payloadSchema);
      expect(body.fieldVisibility, def.code).toEqual(def.fieldVisibility);
      expect(body.keyFields, def.code).toEqual(def.keyFields);
      expect(body.periodRule, def.code).toEqual(def.periodRule);
      expect(body.severityRule, def.code).toEqual(def.severityRule);
      expect(
        checkItemDefinition({ ...body, code: def.code } as unknown as ItemDefinitionInput),
        def.code,
      ).toEqual([]);
    }
  });
});
