import { Button, Card, Checkbox, Drawer, Form, Input, InputNumber, Select, Space, Typography } from 'antd';
import { useEffect, useMemo } from 'react';
import { LEGAL_BASIS_RANKS } from '../../../domain/catalog/ranks';
import { SUBJECT_TYPE_LABELS, SUBJECT_TYPES } from '../../../domain/subject-types';
import { post } from '../../api/client';
import type { CatalogItem, Category } from '../../api/types';
import { defineMessages } from '../../i18n/lang';
import { useLang } from '../../i18n/LangProvider';
import { common } from '../../ui/messages';
import { FormErrors, useFormSubmit } from '../../ui/useFormSubmit';
import {
  emptyItemForm,
  formToBody,
  itemToForm,
  problemToFormPath,
  type FieldRow,
  type ItemFormValues,
  type KeyFieldName,
} from './itemForm';

const m = defineMessages({
  createTitle: { zh: '新建目录事项', en: 'New catalogue item' },
  versionTitle: { zh: '发布 {code} 的新版本', en: 'New version of {code}' },
  basics: { zh: '基本信息', en: 'Basics' },
  code: { zh: '事项编码', en: 'Item code' },
  codeHelp: {
    zh: '大写字母开头，2–32 位大写字母、数字或下划线',
    en: 'Upper-case letter first; 2–32 upper-case letters, digits or _',
  },
  nameZh: { zh: '中文名称', en: 'Chinese name' },
  nameEn: { zh: '英文名称', en: 'English name' },
  category: { zh: '目录类别', en: 'Category' },
  subjectTypes: { zh: '适用主体类型', en: 'Subject types' },
  legalBasis: { zh: '归集依据', en: 'Legal basis' },
  legalBasisHelp: {
    zh: '须有法律、法规、规章或党中央、国务院政策文件依据；仅有规范性文件不足以设立目录事项。',
    en: 'A law, regulation, rule or central policy document is needed; a normative document alone is not enough.',
  },
  instrument: { zh: '文件名称', en: 'Instrument' },
  article: { zh: '条款', en: 'Article' },
  rank: { zh: '效力等级', en: 'Rank' },
  addBasis: { zh: '添加依据', en: 'Add a legal basis' },
  fields: { zh: '数据项', en: 'Fields' },
  fieldsHelp: {
    zh: '禁止归集宗教信仰、基因、指纹、血型、疾病和病史、收入、存款、有价证券、纳税数额等信息。',
    en: 'Religion, genes, fingerprints, blood type, illness, income, deposits, securities and tax amounts may never be collected.',
  },
  key: { zh: '字段代码', en: 'Field key' },
  title: { zh: '字段名称', en: 'Field title' },
  titleEn: { zh: '英文名称', en: 'English title' },
  kind: { zh: '类型', en: 'Type' },
  enumValues: { zh: '可选值', en: 'Allowed values' },
  required: { zh: '必填', en: 'Required' },
  visibility: { zh: '公开范围', en: 'Visibility' },
  sensitive: { zh: '敏感（加密存储）', en: 'Sensitive (encrypted)' },
  addField: { zh: '添加数据项', en: 'Add a field' },
  remove: { zh: '删除', en: 'Remove' },
  keyFields: { zh: '关键字段', en: 'Key fields' },
  keyFieldsHelp: {
    zh: '指明哪个数据项是决定文书号、决定日期和主体信息。',
    en: 'Which fields hold the document number, decision date and the subject.',
  },
  rules: { zh: '严重程度与公示期限', en: 'Severity and disclosure period' },
  severityKind: { zh: '严重程度规则', en: 'Severity rule' },
  severityField: { zh: '据以推导的字段', en: 'Derived from field' },
  severityMap: {
    zh: '对照表（每行 取值=MINOR|GENERAL|SERIOUS）',
    en: 'Map (one value=MINOR|GENERAL|SERIOUS per line)',
  },
  severityDefault: { zh: '默认严重程度', en: 'Default severity' },
  periodKind: { zh: '公示期限规则', en: 'Disclosure period rule' },
  periodMonths: { zh: '月数', en: 'Months' },
  periodField: { zh: '有效期截止字段', en: 'Validity end field' },
  publish: { zh: '提交', en: 'Submit' },
  required_: { zh: '必填', en: 'Required' },
});

const KEY_FIELD_LABELS: Record<KeyFieldName, { zh: string; en: string }> = {
  docNo: { zh: '决定文书号', en: 'Document number' },
  decisionDate: { zh: '决定日期', en: 'Decision date' },
  subjectName: { zh: '主体名称', en: 'Subject name' },
  subjectCategory: { zh: '主体类别', en: 'Subject category' },
  subjectUscc: { zh: '统一社会信用代码', en: 'USCC' },
  subjectIdType: { zh: '证件类型', en: 'ID document type' },
  subjectIdNo: { zh: '证件号码', en: 'ID number' },
  validityEnd: { zh: '有效期截止', en: 'Validity end' },
};

const KIND_LABELS: Record<FieldRow['kind'], { zh: string; en: string }> = {
  string: { zh: '文本', en: 'Text' },
  date: { zh: '日期', en: 'Date' },
  number: { zh: '数值', en: 'Number' },
  integer: { zh: '整数', en: 'Integer' },
  boolean: { zh: '是/否', en: 'Yes/No' },
  enum: { zh: '枚举', en: 'Choice' },
  list: { zh: '多项', en: 'Several values' },
};

const VIS_LABELS = {
  public: { zh: '公开', en: 'Public' },
  shared: { zh: '共享（部门间）', en: 'Shared (departments)' },
  internal: { zh: '内部', en: 'Internal' },
};

/**
 * Create an item or publish a new version. The server checks the definition (legal basis rank,
 * prohibited data categories, visibilities, key fields, rules) and every problem it reports is
 * shown on the field it concerns.
 */
export function ItemEditor({
  open,
  base,
  categories,
  onClose,
  onSaved,
}: {
  open: boolean;
  /** The version to start from; null to create a new item. */
  base: CatalogItem | null;
  categories: readonly Category[];
  onClose(): void;
  onSaved(item: CatalogItem): void;
}) {
  const { t, lang, pick } = useLang();
  const [form] = Form.useForm<ItemFormValues>();
  const initial = useMemo(() => (base ? itemToForm(base) : emptyItemForm()), [base]);
  useEffect(() => {
    if (open) form.setFieldsValue(initial);
  }, [open, initial, form]);
  const fields = (Form.useWatch('fields', form) ?? []) as FieldRow[];
  const severityKind = Form.useWatch('severityKind', form) as ItemFormValues['severityKind'] | undefined;
  const periodKind = Form.useWatch('periodKind', form) as ItemFormValues['periodKind'] | undefined;
  const fieldOptions = fields
    .filter((f) => f?.key)
    .map((f) => ({ value: f.key, label: `${f.title || f.key} (${f.key})` }));

  const { submit, busy, general, clear } = useFormSubmit(
    form,
    (path, code) => problemToFormPath(form.getFieldValue('fields') ?? [])(path, code),
    (v: ItemFormValues) =>
      base
        ? post<CatalogItem>(
            `/api/v1/catalog/items/${encodeURIComponent(base.code)}/versions`,
            formToBody(v, base, false),
          )
        : post<CatalogItem>('/api/v1/catalog/items', formToBody(v, null, true)),
    (item) => {
      onSaved(item);
      form.resetFields();
    },
  );

  const say = (x: { zh: string; en: string }) => (lang === 'en' ? x.en : x.zh);

  return (
    <Drawer
      open={open}
      title={base ? t(m.versionTitle, { code: base.code }) : t(m.createTitle)}
      size="min(960px, 100vw)"
      onClose={() => {
        clear();
        onClose();
      }}
      destroyOnHidden
      extra={
        <Space>
          <Button onClick={onClose}>{t(common.cancel)}</Button>
          <Button type="primary" loading={busy} onClick={() => form.submit()} data-testid="item-submit">
            {t(m.publish)}
          </Button>
        </Space>
      }
    >
      <FormErrors messages={general} />
      <Form<ItemFormValues>
        form={form}
        layout="vertical"
        initialValues={initial}
        onFinish={submit}
        scrollToFirstError
        data-testid="item-form"
      >
        <Card size="small" title={t(m.basics)} style={{ marginBottom: 12 }}>
          <Form.Item
            name="code"
            label={t(m.code)}
            extra={t(m.codeHelp)}
            rules={[{ required: !base, message: t(m.required_) }]}
          >
            <Input disabled={!!base} maxLength={32} data-testid="item-code" />
          </Form.Item>
          <Form.Item name="nameZh" label={t(m.nameZh)} rules={[{ required: true, message: t(m.required_) }]}>
            <Input maxLength={200} data-testid="item-nameZh" />
          </Form.Item>
          <Form.Item name="nameEn" label={t(m.nameEn)} rules={[{ required: true, message: t(m.required_) }]}>
            <Input maxLength={300} data-testid="item-nameEn" />
          </Form.Item>
          <Form.Item
            name="categoryCode"
            label={t(m.category)}
            rules={[{ required: true, message: t(m.required_) }]}
          >
            <Select
              data-testid="item-category"
              options={categories.map((c) => ({ value: c.code, label: pick(c.nameZh, c.nameEn) }))}
            />
          </Form.Item>
          <Form.Item name="subjectTypes" label={t(m.subjectTypes)}>
            <Select
              mode="multiple"
              options={SUBJECT_TYPES.map((s) => ({ value: s, label: say(SUBJECT_TYPE_LABELS[s]) }))}
            />
          </Form.Item>
        </Card>

        <Card
          size="small"
          title={t(m.legalBasis)}
          style={{ marginBottom: 12 }}
          data-testid="legal-basis-section"
        >
          <Typography.Paragraph type="secondary">{t(m.legalBasisHelp)}</Typography.Paragraph>
          <Form.List name="legalBasis">
            {(rows, { add, remove }, { errors }) => (
              <>
                {rows.map((row) => (
                  <Space key={row.key} align="start" wrap style={{ display: 'flex', marginBottom: 8 }}>
                    <Form.Item
                      name={[row.name, 'instrument']}
                      label={t(m.instrument)}
                      style={{ minWidth: 260 }}
                    >
                      <Input placeholder="《中华人民共和国行政处罚法》" />
                    </Form.Item>
                    <Form.Item name={[row.name, 'article']} label={t(m.article)}>
                      <Input placeholder="第四十八条" />
                    </Form.Item>
                    <Form.Item name={[row.name, 'rank']} label={t(m.rank)} style={{ minWidth: 200 }}>
                      <Select options={LEGAL_BASIS_RANKS.map((r) => ({ value: r.code, label: say(r) }))} />
                    </Form.Item>
                    <Button onClick={() => remove(row.name)} style={{ marginTop: 30 }}>
                      {t(m.remove)}
                    </Button>
                  </Space>
                ))}
                <Button type="dashed" onClick={() => add({})} data-testid="add-basis">
                  {t(m.addBasis)}
                </Button>
                <div data-testid="legal-basis-errors">
                  <Form.ErrorList errors={errors} />
                </div>
              </>
            )}
          </Form.List>
        </Card>

        <Card size="small" title={t(m.fields)} style={{ marginBottom: 12 }} data-testid="fields-section">
          <Typography.Paragraph type="secondary">{t(m.fieldsHelp)}</Typography.Paragraph>
          <Form.List name="fields">
            {(rows, { add, remove }, { errors }) => (
              <>
                {rows.map((row, i) => (
                  <Card key={row.key} size="small" style={{ marginBottom: 8 }} data-testid={`field-row-${i}`}>
                    <Space align="start" wrap>
                      <Form.Item
                        name={[row.name, 'key']}
                        label={t(m.key)}
                        rules={[{ required: true, message: t(m.required_) }]}
                      >
                        <Input style={{ width: 150 }} data-testid={`field-key-${i}`} />
                      </Form.Item>
                      <Form.Item
                        name={[row.name, 'title']}
                        label={t(m.title)}
                        rules={[{ required: true, message: t(m.required_) }]}
                      >
                        <Input style={{ width: 180 }} data-testid={`field-title-${i}`} />
                      </Form.Item>
                      <Form.Item name={[row.name, 'titleEn']} label={t(m.titleEn)}>
                        <Input style={{ width: 180 }} maxLength={200} data-testid={`field-title-en-${i}`} />
                      </Form.Item>
                      <Form.Item name={[row.name, 'kind']} label={t(m.kind)}>
                        <Select
                          style={{ width: 110 }}
                          options={(Object.keys(KIND_LABELS) as FieldRow['kind'][]).map((k) => ({
                            value: k,
                            label: say(KIND_LABELS[k]),
                          }))}
                        />
                      </Form.Item>
                      {fields[i]?.kind === 'enum' || fields[i]?.kind === 'list' ? (
                        <Form.Item name={[row.name, 'enumValues']} label={t(m.enumValues)}>
                          <Select mode="tags" style={{ minWidth: 180 }} open={false} />
                        </Form.Item>
                      ) : null}
                      <Form.Item name={[row.name, 'visibility']} label={t(m.visibility)}>
                        <Select
                          style={{ width: 150 }}
                          options={(['public', 'shared', 'internal'] as const).map((v) => ({
                            value: v,
                            label: say(VIS_LABELS[v]),
                          }))}
                        />
                      </Form.Item>
                      <Form.Item name={[row.name, 'required']} valuePropName="checked" label=" ">
                        <Checkbox>{t(m.required)}</Checkbox>
                      </Form.Item>
                      <Form.Item name={[row.name, 'sensitive']} valuePropName="checked" label=" ">
                        <Checkbox>{t(m.sensitive)}</Checkbox>
                      </Form.Item>
                      <Button onClick={() => remove(row.name)} style={{ marginTop: 30 }}>
                        {t(m.remove)}
                      </Button>
                    </Space>
                  </Card>
                ))}
                <Button
                  type="dashed"
                  onClick={() => add({ key: '', title: '', kind: 'string', visibility: 'internal' })}
                  data-testid="add-field"
                >
                  {t(m.addField)}
                </Button>
                <Form.ErrorList errors={errors} />
              </>
            )}
          </Form.List>
        </Card>

        <Card size="small" title={t(m.keyFields)} style={{ marginBottom: 12 }}>
          <Typography.Paragraph type="secondary">{t(m.keyFieldsHelp)}</Typography.Paragraph>
          <Space wrap>
            {(Object.keys(KEY_FIELD_LABELS) as KeyFieldName[]).map((k) => (
              <Form.Item
                key={k}
                name={['keyFields', k]}
                label={say(KEY_FIELD_LABELS[k])}
                style={{ minWidth: 200 }}
              >
                <Select allowClear options={fieldOptions} />
              </Form.Item>
            ))}
          </Space>
        </Card>

        <Card size="small" title={t(m.rules)}>
          <Space wrap align="start">
            <Form.Item name="severityKind" label={t(m.severityKind)} style={{ minWidth: 180 }}>
              <Select
                options={[
                  { value: 'none', label: lang === 'en' ? 'None' : '不区分' },
                  { value: 'declared', label: lang === 'en' ? 'Declared by the department' : '部门认定' },
                  { value: 'derived', label: lang === 'en' ? 'Derived from a field' : '按字段推导' },
                ]}
              />
            </Form.Item>
            {severityKind === 'derived' ? (
              <>
                <Form.Item name="severityField" label={t(m.severityField)} style={{ minWidth: 180 }}>
                  <Select options={fieldOptions} />
                </Form.Item>
                <Form.Item name="severityMap" label={t(m.severityMap)}>
                  <Input.TextArea rows={3} style={{ width: 260 }} />
                </Form.Item>
                <Form.Item name="severityDefault" label={t(m.severityDefault)} style={{ minWidth: 140 }}>
                  <Select
                    allowClear
                    options={['MINOR', 'GENERAL', 'SERIOUS'].map((s) => ({ value: s, label: s }))}
                  />
                </Form.Item>
              </>
            ) : null}
            <Form.Item name="periodKind" label={t(m.periodKind)} style={{ minWidth: 180 }}>
              <Select
                options={[
                  { value: 'severity', label: lang === 'en' ? 'By severity' : '按严重程度' },
                  { value: 'fixed', label: lang === 'en' ? 'Fixed months' : '固定期限' },
                  { value: 'validity', label: lang === 'en' ? 'Until validity ends' : '至有效期届满' },
                  { value: 'permanent', label: lang === 'en' ? 'No end' : '长期' },
                ]}
              />
            </Form.Item>
            {periodKind === 'fixed' ? (
              <Form.Item name="periodMonths" label={t(m.periodMonths)}>
                <InputNumber min={1} max={1200} />
              </Form.Item>
            ) : null}
            {periodKind === 'validity' ? (
              <Form.Item name="periodField" label={t(m.periodField)} style={{ minWidth: 180 }}>
                <Select options={fieldOptions} />
              </Form.Item>
            ) : null}
          </Space>
        </Card>
      </Form>
    </Drawer>
  );
}
