import {
  Alert,
  Card,
  Descriptions,
  Empty,
  Result,
  Skeleton,
  Space,
  Tabs,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import { useEffect, useMemo } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { ApiError } from '../../api/errors';
import { defineMessages } from '../../i18n/lang';
import { useLang } from '../../i18n/LangProvider';
import { parseAtParam } from '../../ui/asOf';
import { AsOfPicker } from '../../ui/AsOfPicker';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { formatDateTime } from '../../ui/format';
import { common } from '../../ui/messages';
import { useAsync } from '../../ui/useAsync';
import { RecordCard } from '../records/RecordCard';
import { identityRows, profileTabs } from './identity';
import { loadProfile, takePrefetched } from './prefetch';
import { LISTS_TAB_KEY, useSubjectListsTab } from '../lists/SubjectListsTab';

const m = defineMessages({
  identity: { zh: '基本信息', en: 'Identity' },
  records: { zh: '公示信息', en: 'Disclosed information' },
  maskedNote: {
    zh: '为保护个人信息，身份证号码已部分隐藏',
    en: 'Part of the ID number is hidden to protect personal information',
  },
  masked: { zh: '已脱敏', en: 'Masked' },
  nothing: { zh: '该类别暂无公示信息', en: 'Nothing disclosed in this category' },
  noneAtAll: { zh: '该主体暂无公示的信用信息', en: 'No credit information is disclosed about this subject' },
  asOfBanner: {
    zh: '正在查看 {date} 当日结束时的公示状态。',
    en: 'Showing what was disclosed at the end of {date}.',
  },
  invalidAt: {
    zh: '日期“{raw}”无效或在未来，已显示当前状态。',
    en: 'The date “{raw}” is invalid or in the future; showing the current state.',
  },
  notFound: { zh: '未找到该主体', en: 'Subject not found' },
  notYet: {
    zh: '该主体在 {date} 尚未在平台登记',
    en: 'The platform did not hold this subject yet on {date}',
  },
  notFoundSub: {
    zh: '请检查代码是否正确，或使用首页的查询框重新查找。',
    en: 'Check the code, or search again from the home page.',
  },
  answeredAt: { zh: '数据时点：{at}', en: 'As of {at}' },
});

export function SubjectPage() {
  const { ref = '' } = useParams();
  const [params, setParams] = useSearchParams();
  const { t, lang, pick } = useLang();
  const asOf = parseAtParam(params.get('at'), new Date());

  const profile = useAsync(
    (signal) => takePrefetched(ref, asOf.instant) ?? loadProfile(ref, asOf.instant, signal),
    [ref, asOf.instant],
  );
  const listsTab = useSubjectListsTab(ref, asOf.instant);

  const data = profile.data;
  const tabs = useMemo(() => (data ? profileTabs(data.categories) : []), [data]);

  useEffect(() => {
    if (!data) return;
    document.title = `${data.subject.name} · ${t(common.siteName)}`;
    // Read by the browser test to measure time to interactive; harmless elsewhere.
    performance.mark('xy:subject-ready');
  }, [data, t]);

  const setAt = (at: string | null) => {
    const next = new URLSearchParams(params);
    if (at) next.set('at', at);
    else next.delete('at');
    setParams(next);
  };
  const tab = params.get('tab');
  const activeTab =
    tab && (tab === LISTS_TAB_KEY || tabs.some((c) => c.key === tab))
      ? tab
      : (tabs.find((c) => c.records.length > 0)?.key ?? tabs[0]?.key);

  const notFound = profile.error instanceof ApiError && profile.error.status === 404;

  return (
    <div>
      <Space orientation="vertical" size={12} style={{ width: '100%' }}>
        <AsOfPicker date={asOf.date} onChange={setAt} />
        {asOf.kind === 'past' ? (
          <Alert
            type="info"
            showIcon
            title={t(m.asOfBanner, { date: asOf.date })}
            data-testid="as-of-banner"
          />
        ) : null}
        {asOf.kind === 'invalid' ? (
          <Alert type="warning" showIcon title={t(m.invalidAt, { raw: asOf.raw })} />
        ) : null}
        {notFound ? (
          <Result
            status="404"
            title={asOf.kind === 'past' ? t(m.notYet, { date: asOf.date }) : t(m.notFound)}
            subTitle={t(m.notFoundSub)}
            extra={<Link to="/">{t(common.backHome)}</Link>}
          />
        ) : profile.error ? (
          <ErrorAlert error={profile.error} onRetry={profile.reload} />
        ) : null}
        {!data && profile.loading ? <Skeleton active paragraph={{ rows: 6 }} /> : null}
        {data ? (
          <>
            <Card data-testid="subject-identity">
              <Typography.Title level={1} style={{ fontSize: 22, marginTop: 0 }} data-testid="subject-name">
                {data.subject.name}
              </Typography.Title>
              <Descriptions
                title={t(m.identity)}
                size="small"
                column={{ xs: 1, sm: 2, lg: 3 }}
                items={identityRows(data.subject, lang).map((r) => ({
                  key: r.key,
                  label: t(r.label),
                  children: r.masked ? (
                    <Tooltip title={t(m.maskedNote)}>
                      <span data-testid="masked-id">{r.value}</span> <Tag>{t(m.masked)}</Tag>
                    </Tooltip>
                  ) : (
                    r.value
                  ),
                }))}
              />
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {t(m.answeredAt, { at: formatDateTime(data.at) })}
              </Typography.Text>
            </Card>
            <Card title={t(m.records)} data-testid="subject-loaded">
              {data.total === 0 ? (
                <Typography.Paragraph type="secondary">{t(m.noneAtAll)}</Typography.Paragraph>
              ) : null}
              {
                <Tabs
                  activeKey={activeTab}
                  onChange={(key) => {
                    const next = new URLSearchParams(params);
                    next.set('tab', key);
                    setParams(next, { replace: true });
                  }}
                  items={[
                    ...tabs.map((c) => ({
                      key: c.key,
                      label: `${pick(c.nameZh, c.nameEn)} (${c.records.length})`,
                      children: c.records.length ? (
                        c.records.map((r) => <RecordCard key={r.id} record={r} />)
                      ) : (
                        <Empty description={t(m.nothing)} />
                      ),
                    })),
                    listsTab,
                  ]}
                />
              }
            </Card>
          </>
        ) : null}
      </Space>
    </div>
  );
}
