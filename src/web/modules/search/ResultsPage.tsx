import { Alert, Empty, Select, Skeleton, Spin, Tag, Typography } from 'antd';
import { useEffect, useId } from 'react';
import { Link, useSearchParams } from 'react-router';
import { SUBJECT_TYPE_LABELS, SUBJECT_TYPES, type SubjectType } from '../../../domain/subject-types';
import { get } from '../../api/client';
import type { Category, SearchResult, SubjectHit } from '../../api/types';
import { defineMessages } from '../../i18n/lang';
import { useLang } from '../../i18n/LangProvider';
import { parseAtParam } from '../../ui/asOf';
import { AsOfPicker } from '../../ui/AsOfPicker';
import { ErrorAlert } from '../../ui/ErrorAlert';
import { common } from '../../ui/messages';
import { Pager } from '../../ui/Pager';
import { RegionPicker, useRegionName } from '../../ui/regions';
import { useAsync } from '../../ui/useAsync';
import { PAGE_SIZE, readSearchParams, subjectHref, writeSearchParams, type SearchState } from './query';
import { SearchBox } from './SearchBox';

const m = defineMessages({
  title: { zh: '“{q}”的查询结果', en: 'Results for “{q}”' },
  typeFilter: { zh: '主体类型', en: 'Subject type' },
  regionFilter: { zh: '所在地区', en: 'Region' },
  categoryFilter: { zh: '信息类别', en: 'Category of records' },
  allCategories: { zh: '全部类别', en: 'All categories' },
  categoryNote: {
    zh: '仅显示有“{category}”类公示信息的主体。',
    en: 'Only subjects with disclosed records of “{category}”.',
  },
  allTypes: { zh: '全部类型', en: 'All types' },
  none: { zh: '没有找到符合条件的主体', en: 'No subject matches' },
  enterQuery: { zh: '请输入名称、代码、拼音或首字母', en: 'Enter a name, code, pinyin or initials' },
  matchIdentifier: { zh: '按代码精确匹配', en: 'Exact code match' },
  matchName: { zh: '按名称匹配', en: 'Matched by name' },
  matchPinyin: { zh: '按拼音匹配', en: 'Matched by pinyin' },
  formerly: { zh: '匹配曾用名：{name}', en: 'Matched former name: {name}' },
  personNote: {
    zh: '自然人只能按身份证号码精确查询。',
    en: 'Natural persons can only be found by their exact ID number.',
  },
  status: { zh: '状态', en: 'Status' },
  asOfBanner: {
    zh: '正在查看 {date} 当日结束时平台登记的主体；打开的主体页显示同一日期的状态。',
    en: 'Showing the subjects the platform held at the end of {date}; a subject opened from here shows that date too.',
  },
  invalidAt: {
    zh: '日期“{raw}”无效或在未来，已显示当前结果。',
    en: 'The date “{raw}” is invalid or in the future; showing current results.',
  },
});

function Hit({ hit, at }: { hit: SubjectHit; at: string | null }) {
  const { t, pick } = useLang();
  const region = useRegionName(hit.region);
  return (
    <li className="xy-result">
      <Link to={subjectHref(hit.ref, at)} data-testid="result-link" className="xy-link xy-result-title">
        {hit.name}
      </Link>
      <div className="xy-result-meta">
        <Tag>{pick(hit.typeLabel.zh, hit.typeLabel.en)}</Tag>
        {hit.uscc ? <Typography.Text copyable={{ text: hit.uscc }}>{hit.uscc}</Typography.Text> : null}
        {region ? <span>{region}</span> : null}
      </div>
      {hit.matchedName !== hit.name ? (
        <Typography.Text type="secondary">{t(m.formerly, { name: hit.matchedName })}</Typography.Text>
      ) : null}
    </li>
  );
}

export function ResultsPage() {
  const { t, lang, pick } = useLang();
  const [params, setParams] = useSearchParams();
  const state = readSearchParams(params);
  const asOf = parseAtParam(params.get('at'), new Date());
  const typeId = useId();
  const regionId = useId();
  const categoryId = useId();
  const categories = useAsync(
    (signal) => get<Category[]>('/api/v1/catalog/categories', undefined, signal),
    [],
  );
  const categoryName = (code: string) => {
    const c = categories.data?.find((x) => x.code === code);
    return c ? pick(c.nameZh, c.nameEn) : code;
  };
  const set = (patch: Partial<SearchState>) => setParams(writeSearchParams({ ...state, page: 1, ...patch }));

  const result = useAsync(
    (signal) =>
      state.q
        ? get<SearchResult>(
            '/api/v1/public/subjects',
            {
              q: state.q,
              type: state.types,
              region: state.region,
              category: state.category,
              at: asOf.instant,
              limit: PAGE_SIZE,
              offset: (state.page - 1) * PAGE_SIZE,
            },
            signal,
          )
        : Promise.resolve(null),
    [state.q, state.types.join(','), state.region, state.category, asOf.instant, state.page],
  );

  useEffect(() => {
    document.title = state.q ? `${t(m.title, { q: state.q })} · ${t(common.siteName)}` : t(common.siteName);
  }, [state.q, t]);

  const data = result.data;
  const matchLabel =
    data?.match === 'identifier' ? m.matchIdentifier : data?.match === 'pinyin' ? m.matchPinyin : m.matchName;

  return (
    <div>
      <div style={{ marginBottom: 16 }}>
        <SearchBox initial={state.q} size="middle" at={state.at} />
      </div>
      <div style={{ marginBottom: 12 }}>
        <AsOfPicker date={asOf.date} onChange={(at) => set({ at })} />
      </div>
      {asOf.kind !== 'now' ? (
        <Alert
          showIcon
          style={{ marginBottom: 12 }}
          {...(asOf.kind === 'past'
            ? { type: 'info', title: t(m.asOfBanner, { date: asOf.date }), 'data-testid': 'as-of-banner' }
            : { type: 'warning', title: t(m.invalidAt, { raw: asOf.raw }), 'data-testid': 'as-of-invalid' })}
        />
      ) : null}
      <div className="xy-filters" role="group" aria-label={t(m.typeFilter)}>
        <div className="xy-field">
          <label htmlFor={typeId}>{t(m.typeFilter)}</label>
          <Select<SubjectType[]>
            id={typeId}
            mode="multiple"
            allowClear
            placeholder={t(m.allTypes)}
            value={state.types}
            onChange={(types) => set({ types })}
            options={SUBJECT_TYPES.filter((s) => s !== 'NATURAL_PERSON').map((s) => ({
              value: s,
              label: lang === 'en' ? SUBJECT_TYPE_LABELS[s].en : SUBJECT_TYPE_LABELS[s].zh,
            }))}
            data-testid="filter-type"
          />
        </div>
        <div className="xy-field">
          <label htmlFor={regionId}>{t(m.regionFilter)}</label>
          <RegionPicker id={regionId} value={state.region} onChange={(region) => set({ region })} />
        </div>
        <div className="xy-field">
          <label htmlFor={categoryId}>{t(m.categoryFilter)}</label>
          <Select<string | null>
            id={categoryId}
            allowClear
            placeholder={t(m.allCategories)}
            value={state.category ?? undefined}
            onChange={(category) => set({ category: category ?? null })}
            loading={categories.loading}
            options={(categories.data ?? []).map((c) => ({ value: c.code, label: pick(c.nameZh, c.nameEn) }))}
            popupMatchSelectWidth={false}
            style={{ minWidth: 180 }}
            data-testid="filter-category"
          />
        </div>
      </div>
      {!state.q ? (
        <Empty description={t(m.enterQuery)} />
      ) : result.error ? (
        <ErrorAlert error={result.error} onRetry={result.reload} />
      ) : result.loading && !data ? (
        <Skeleton active />
      ) : data ? (
        <Spin spinning={result.loading}>
          <Typography.Title level={1} style={{ fontSize: 20 }}>
            {t(m.title, { q: state.q })}
          </Typography.Title>
          {data.items.length ? (
            <>
              <Typography.Paragraph type="secondary">
                {t(matchLabel)} · {t(m.personNote)}
                {state.category ? ` ${t(m.categoryNote, { category: categoryName(state.category) })}` : ''}
              </Typography.Paragraph>
              <ul className="xy-results" data-testid="results">
                {data.items.map((hit) => (
                  <Hit key={hit.ref} hit={hit} at={state.at} />
                ))}
              </ul>
            </>
          ) : (
            <Empty description={`${t(m.none)} · ${t(m.personNote)}`} />
          )}
          <Pager
            page={state.page}
            more={data.more}
            onChange={(page) => setParams(writeSearchParams({ ...state, page }))}
          />
        </Spin>
      ) : null}
    </div>
  );
}
