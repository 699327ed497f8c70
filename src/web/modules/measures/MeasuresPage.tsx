import { Table, Tag, Typography } from 'antd';
import { useEffect, useMemo } from 'react';
import { get } from '../../api/client';
import { useLang } from '../../i18n/LangProvider';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { common } from '../../ui/messages';
import { useAsync } from '../../ui/useAsync';
import { basisLine } from '../lists/labels';
import { CLASS_TEXT, listNameMap, type ListName, measureText } from './labels';
import { MeasureTriggers } from './MeasureTriggers';
import type { Measure, Scenario } from './types';

/** /measures: the public inventory with its legal bases (清单化统一管理). */
export function MeasuresPage() {
  const { t, pick } = useLang();
  useEffect(() => {
    document.title = `${t(measureText.title)} · ${t(common.siteName)}`;
  }, [t]);
  const res = useAsync(
    (signal) =>
      get<{ scenarios: Scenario[]; measures: Measure[] }>('/api/v1/public/measures', undefined, signal),
    [],
  );
  // The public lists' names, so that a list trigger reads as the list's name (public endpoint only;
  // a list that is not public keeps its code).
  const lists = useAsync((signal) => get<ListName[]>('/api/v1/public/lists', undefined, signal), []);
  const listNames = useMemo(() => listNameMap(lists.data), [lists.data]);
  const scenarioName = useMemo(() => {
    const map = new Map((res.data?.scenarios ?? []).map((s) => [s.code, pick(s.nameZh, s.nameEn)]));
    return (code: string) => map.get(code) ?? code;
  }, [res.data, pick]);
  return (
    <div>
      <Typography.Title level={1} style={{ fontSize: 24 }}>
        {t(measureText.title)}
      </Typography.Title>
      <Typography.Paragraph type="secondary">{t(measureText.lead)}</Typography.Paragraph>
      {res.error ? <ErrorAlert error={res.error} onRetry={res.reload} /> : null}
      <Table<Measure>
        rowKey="code"
        loading={res.loading}
        dataSource={res.data?.measures ?? []}
        pagination={false}
        scroll={{ x: 900 }}
        expandable={{
          expandedRowRender: (r) => (
            <div>
              <Typography.Paragraph>{pick(r.content.zh, r.content.en)}</Typography.Paragraph>
              <div>
                {t(measureText.bodies)}: {r.implementingBodies.join('、')}
              </div>
              <div>
                {t(measureText.lift)}: {pick(r.liftNote.zh, r.liftNote.en)}
              </div>
            </div>
          ),
        }}
        columns={[
          {
            key: 'name',
            title: t(measureText.name),
            render: (_, r) => (
              <span>
                {pick(r.nameZh, r.nameEn)}{' '}
                <Tag color={r.kind === 'restriction' ? 'red' : 'green'}>
                  {t(r.kind === 'restriction' ? measureText.restriction : measureText.incentive)}
                </Tag>
              </span>
            ),
          },
          {
            key: 'class',
            title: t(measureText.cls),
            render: (_, r) => t(CLASS_TEXT[r.class] ?? CLASS_TEXT[2]!),
          },
          {
            key: 'basis',
            title: t(measureText.basis),
            render: (_, r) => r.legalBasis.map((b) => <div key={b.instrument}>{basisLine(b, t)}</div>),
          },
          {
            key: 'triggers',
            title: t(measureText.triggers),
            render: (_, r) => <MeasureTriggers measure={r} lists={listNames} />,
          },
          {
            key: 'scenarios',
            title: t(measureText.scenarios),
            render: (_, r) => r.scenarios.map((s) => scenarioName(s)).join(pick('、', ', ')),
          },
        ]}
      />
    </div>
  );
}
