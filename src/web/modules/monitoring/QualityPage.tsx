import { Empty, Select, Skeleton, Table } from 'antd';
import { lazy, Suspense, useId, useState } from 'react';
import { get } from '../../api/client';
import { isMissingEndpoint } from '../../api/errors';
import { defineMessages } from '../../i18n/lang';
import { useLang } from '../../i18n/LangProvider';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { useAsync } from '../../ui/useAsync';
import { useSession } from '../accounts/session';
import { useDepartments } from '../accounts/useDepartments';
import { PageHeader } from '../console/PageHeader';
import {
  COUNT_METRICS,
  METRIC_LABELS,
  normalizeScorecard,
  RATIO_METRICS,
  SCORECARD_PATHS,
  type ScoreRow,
} from './scorecard';

// ECharts is the heaviest dependency: only this page loads it.
const ScorecardCharts = lazy(() =>
  import('./ScorecardCharts').then((mod) => ({ default: mod.ScorecardCharts })),
);

const m = defineMessages({
  title: { zh: '数据质量评分', en: 'Quality scorecard' },
  lead: {
    zh: '按部门和月份计算的归集质效评估：报送量、及时率（决定后 7 个工作日内报送）、完整率、一次通过率、一致率、更正和撤回。',
    en: 'Collection quality per department and month: volume, timeliness (within 7 working days of the decision), completeness, first-time validity, consistency, corrections and withdrawals.',
  },
  empty: {
    zh: '质量评分接口尚未部署（随数据归集模块提供），暂无数据。',
    en: 'The scorecard API is not installed yet (it comes with the collection hub); nothing to show.',
  },
  noRows: { zh: '暂无评分数据', en: 'No scores yet' },
  month: { zh: '月份', en: 'Month' },
  department: { zh: '部门', en: 'Department' },
  allDepartments: { zh: '全部部门（按月汇总）', en: 'All departments (monthly totals)' },
});

async function loadScorecard(signal: AbortSignal, department: number | null): Promise<ScoreRow[] | null> {
  for (const path of SCORECARD_PATHS) {
    try {
      return normalizeScorecard(await get<unknown>(path, { department }, signal));
    } catch (err) {
      if (!isMissingEndpoint(err)) throw err;
    }
  }
  return null;
}

export function QualityPage() {
  const { t, pick } = useLang();
  const session = useSession();
  const isAdmin = session.hasRole('platform_admin', 'auditor');
  const [department, setDepartment] = useState<number | null>(null);
  const card = useAsync((signal) => loadScorecard(signal, department), [department]);
  const rows = card.data;
  const depts = useDepartments();
  const deptId = useId();
  return (
    <div>
      <PageHeader title={t(m.title)}>{t(m.lead)}</PageHeader>
      {isAdmin ? (
        <div className="xy-filters">
          <div className="xy-field" style={{ maxWidth: 360 }}>
            <label htmlFor={deptId}>{t(m.department)}</label>
            <Select
              id={deptId}
              allowClear
              placeholder={t(m.allDepartments)}
              value={department ?? undefined}
              onChange={(v?: number) => setDepartment(v ?? null)}
              options={depts.list.map((d) => ({ value: d.id, label: pick(d.name, d.nameEn) }))}
            />
          </div>
        </div>
      ) : null}
      {card.error ? <ErrorAlert error={card.error} onRetry={card.reload} /> : null}
      {card.loading ? <Skeleton active /> : null}
      {rows === null ? <Empty description={t(m.empty)} data-testid="scorecard-empty" /> : null}
      {rows && rows.length === 0 ? <Empty description={t(m.noRows)} /> : null}
      {rows && rows.length > 0 ? (
        <>
          <Suspense fallback={<Skeleton active />}>
            <ScorecardCharts rows={rows} />
          </Suspense>
          <Table<ScoreRow & { n: number }>
            size="small"
            rowKey="n"
            scroll={{ x: 900 }}
            dataSource={rows.map((r, n) => ({ ...r, n }))}
            columns={[
              { key: 'month', title: t(m.month), dataIndex: 'month' },
              {
                key: 'dept',
                title: t(m.department),
                render: (_, r) => (r.department ? pick(r.department, r.departmentEn) : '—'),
              },
              ...[...COUNT_METRICS.slice(0, 1), ...RATIO_METRICS, ...COUNT_METRICS.slice(1)].map((k) => ({
                key: k,
                title: t(METRIC_LABELS[k]),
                render: (_: unknown, r: ScoreRow) => {
                  const v = r.values[k];
                  if (v === undefined) return '—';
                  return (RATIO_METRICS as readonly string[]).includes(k) ? `${v}%` : v;
                },
              })),
            ]}
          />
        </>
      ) : null}
    </div>
  );
}
