import { Card, Tag, Typography } from 'antd';
import type { PublicField, PublicRecord } from '../../api/types';
import { defineMessages } from '../../i18n/lang';
import { useLang } from '../../i18n/LangProvider';
import { formatDate, formatValue } from '../../ui/format';
import { common } from '../../ui/messages';
import { fieldLabel, useEnglishFieldTitles } from './fieldTitles';
import { legalBasisList, legalBasisText, rankText, severityColor, severityText } from './labels';

export const recordText = defineMessages({
  docNo: { zh: '决定文书号', en: 'Decision document no.' },
  decisionDate: { zh: '决定日期', en: 'Decision date' },
  provider: { zh: '信息提供部门', en: 'Provided by' },
  legalBasis: { zh: '归集依据', en: 'Legal basis' },
  disclosure: { zh: '公示期限', en: 'Disclosed' },
  until: { zh: '{from} 至 {until}', en: '{from} to {until}' },
  severity: { zh: '严重程度', en: 'Severity' },
  version: { zh: '第 {n} 版', en: 'version {n}' },
  disputed: { zh: '有异议/核查中', en: 'Under objection review' },
});

/** Public fields minus those already shown as document number and decision date. */
export function extraFields(
  fields: readonly PublicField[],
  docNo: string,
  decisionDate: string,
): PublicField[] {
  return fields.filter((f) => f.value !== docNo && f.value !== decisionDate);
}

export function LegalBasisList({ raw }: { raw: unknown }) {
  const { lang } = useLang();
  const list = legalBasisList(raw);
  if (!list.length) return <span>—</span>;
  return (
    <ul style={{ margin: 0, paddingLeft: 18 }}>
      {list.map((b, i) => (
        <li key={i}>
          {legalBasisText(b, lang)}
          {b.rank ? <Typography.Text type="secondary"> （{rankText(b.rank, lang)}）</Typography.Text> : null}
        </li>
      ))}
    </ul>
  );
}

/** One disclosed record with its public fields, provider, legal basis and disclosure window. */
export function RecordCard({ record }: { record: PublicRecord }) {
  const { t, lang, pick } = useLang();
  // The record's own item version carries English titles; the catalogue-wide lookup is a fallback.
  const titles = useEnglishFieldTitles(lang === 'en' && record.fields.some((f) => !f.labelEn));
  const until = record.disclosedUntil ? formatDate(record.disclosedUntil) : t(common.longTerm);
  const items = [
    { key: 'docNo', label: t(recordText.docNo), children: record.docNo },
    { key: 'decisionDate', label: t(recordText.decisionDate), children: formatDate(record.decisionDate) },
    ...extraFields(record.fields, record.docNo, record.decisionDate).map((f) => ({
      key: `f-${f.key}`,
      label: lang === 'en' && f.labelEn ? f.labelEn : fieldLabel(titles, record.item.code, f),
      children: formatValue(f.value, lang),
    })),
    {
      key: 'provider',
      label: t(recordText.provider),
      children: record.provider ? pick(record.provider.name, record.provider.nameEn) : '—',
    },
    {
      key: 'legalBasis',
      label: t(recordText.legalBasis),
      children: <LegalBasisList raw={record.legalBasis} />,
    },
    {
      key: 'disclosure',
      label: t(recordText.disclosure),
      children: (
        <span data-testid="disclosed-until">
          {t(recordText.until, { from: formatDate(record.disclosedFrom), until })}
        </span>
      ),
    },
  ];
  return (
    <Card
      size="small"
      data-testid="record"
      title={
        <span>
          {pick(record.item.nameZh, record.item.nameEn)}{' '}
          <Typography.Text type="secondary" style={{ fontWeight: 'normal', fontSize: 12 }}>
            {t(recordText.version, { n: record.version })}
          </Typography.Text>
        </span>
      }
      extra={
        <>
          {record.disputed ? (
            <Tag color="orange" data-testid="record-disputed">
              {t(recordText.disputed)}
            </Tag>
          ) : null}
          {record.severity ? (
            <Tag color={severityColor(record.severity)}>
              {t(recordText.severity)}: {severityText(record.severity, lang)}
            </Tag>
          ) : null}
        </>
      }
      style={{ marginBottom: 12 }}
    >
      {/* A plain definition list: a page may show dozens of records, and table-based
          Descriptions cost a layout pass each. */}
      <dl className="xy-fields">
        {items.map((i) => (
          <div key={i.key} className="xy-field-row">
            <dt>{i.label}</dt>
            <dd>{i.children}</dd>
          </div>
        ))}
      </dl>
    </Card>
  );
}
