import { AutoComplete, Button, Input, Space, Typography } from 'antd';
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { get } from '../../api/client';
import type { SearchResult, SubjectHit } from '../../api/types';
import { defineMessages } from '../../i18n/lang';
import { useLang } from '../../i18n/LangProvider';
import { parseAtParam } from '../../ui/asOf';
import { useDebouncedValue } from '../../ui/useAsync';
import { queryHint, searchHref, shouldSuggest, subjectHref } from './query';

const m = defineMessages({
  label: { zh: '查询主体', en: 'Find a subject' },
  placeholder: {
    zh: '输入企业名称、统一社会信用代码、拼音或首字母',
    en: 'Name, unified social credit code, pinyin or initials',
  },
  search: { zh: '查询', en: 'Search' },
  suggestions: { zh: '{n} 条建议，用上下方向键选择', en: '{n} suggestions; use the arrow keys to choose' },
});

const SUGGEST_DELAY_MS = 250;

function SuggestionLabel({ hit }: { hit: SubjectHit }) {
  const { pick } = useLang();
  return (
    <div data-testid="suggestion" style={{ display: 'flex', flexDirection: 'column', lineHeight: 1.35 }}>
      <span>{hit.name}</span>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {[
          hit.uscc,
          pick(hit.typeLabel.zh, hit.typeLabel.en),
          hit.matchedName !== hit.name ? hit.matchedName : null,
        ]
          .filter(Boolean)
          .join(' · ')}
      </Typography.Text>
    </div>
  );
}

/**
 * The one search box of the portal: suggestions while typing (debounced; an older answer never
 * replaces a newer one), Enter or the button opens the results page, picking a suggestion opens the
 * subject. With `at` (the "as of" date of the results page it sits on) suggestions, results and
 * the subject opened answer for that date.
 */
export function SearchBox({
  initial = '',
  size = 'large',
  at = null,
}: {
  initial?: string;
  size?: 'large' | 'middle';
  at?: string | null;
}) {
  const { t } = useLang();
  const navigate = useNavigate();
  const id = useId();
  const [text, setText] = useState(initial);
  const [hits, setHits] = useState<SubjectHit[]>([]);
  const debounced = useDebouncedValue(text, SUGGEST_DELAY_MS);
  const selecting = useRef(false);

  useEffect(() => setText(initial), [initial]);

  useEffect(() => {
    if (!shouldSuggest(debounced)) {
      setHits([]);
      return;
    }
    const ctrl = new AbortController();
    const instant = parseAtParam(at, new Date()).instant;
    get<SearchResult>(
      '/api/v1/public/subjects',
      { q: debounced.trim(), at: instant, limit: 8 },
      ctrl.signal,
    ).then(
      (r) => {
        if (!ctrl.signal.aborted) setHits(r.items);
      },
      () => {
        if (!ctrl.signal.aborted) setHits([]);
      },
    );
    return () => ctrl.abort();
  }, [debounced, at]);

  const hint = queryHint(text);
  const submit = (e?: FormEvent) => {
    e?.preventDefault();
    if (selecting.current) return;
    const q = text.trim();
    if (!q) return;
    navigate(searchHref(q, at));
  };

  return (
    <form role="search" className="xy-search-box" onSubmit={submit}>
      <label htmlFor={id} className="xy-visually-hidden">
        {t(m.label)}
      </label>
      <Space.Compact style={{ width: '100%' }}>
        <AutoComplete
          style={{ width: '100%' }}
          value={text}
          options={hits.map((h) => ({ value: h.ref, label: <SuggestionLabel hit={h} /> }))}
          onChange={(v: string) => {
            if (!selecting.current) setText(v);
          }}
          onSelect={(ref: string) => {
            selecting.current = true;
            const hit = hits.find((h) => h.ref === ref);
            if (hit) setText(hit.name);
            navigate(subjectHref(ref, at));
            setTimeout(() => {
              selecting.current = false;
            }, 0);
          }}
        >
          <Input
            id={id}
            size={size}
            placeholder={t(m.placeholder)}
            autoComplete="off"
            maxLength={100}
            data-testid="search-input"
            aria-describedby={hint ? `${id}-hint` : undefined}
          />
        </AutoComplete>
        <Button type="primary" size={size} htmlType="submit" data-testid="search-submit">
          {t(m.search)}
        </Button>
      </Space.Compact>
      <div aria-live="polite" className="xy-visually-hidden">
        {hits.length > 0 ? t(m.suggestions, { n: hits.length }) : ''}
      </div>
      {hint ? (
        <Typography.Text
          id={`${id}-hint`}
          type="warning"
          className="xy-search-hint"
          data-testid="search-hint"
        >
          {t(hint)}
        </Typography.Text>
      ) : null}
    </form>
  );
}
