import { Cascader } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { useLang } from '../i18n/LangProvider';
import { defineMessages } from '../i18n/lang';

type Divisions = typeof import('../../domain/divisions');

// The division table (~70 kB) is only needed once a page shows or filters by region: load it then.
let loading: Promise<Divisions> | null = null;
export function loadDivisions(): Promise<Divisions> {
  loading ??= import('../../domain/divisions');
  return loading;
}

export function useDivisions(): Divisions | null {
  const [mod, setMod] = useState<Divisions | null>(null);
  useEffect(() => {
    let live = true;
    void loadDivisions().then((d) => {
      if (live) setMod(d);
    });
    return () => {
      live = false;
    };
  }, []);
  return mod;
}

/** `重庆市 / 渝中区` for a code, or the code itself until the table has loaded. */
export function useRegionName(code: string | null | undefined): string {
  const d = useDivisions();
  if (!code) return '';
  if (!d) return code;
  const path = d.divisionPath(code);
  return path.length ? path.join(' / ') : code;
}

interface RegionOption {
  value: string;
  label: string;
  children?: RegionOption[];
}

function buildTree(d: Divisions): RegionOption[] {
  const node = (code: string, name: string, depth: number): RegionOption => {
    const kids = depth < 2 ? d.childrenOf(code, { skipGroups: true }) : [];
    return {
      value: code,
      label: name,
      ...(kids.length ? { children: kids.map((k) => node(k.code, k.name, depth + 1)) } : {}),
    };
  };
  return d.provinces().map((p) => node(p.code, p.name, 0));
}

const m = defineMessages({
  placeholder: { zh: '全部地区', en: 'All regions' },
});

/** Province → prefecture → county; any level may be chosen. */
export function RegionPicker({
  id,
  value,
  onChange,
}: {
  id?: string;
  value?: string | null;
  onChange?(code: string | null): void;
}) {
  const { t } = useLang();
  const d = useDivisions();
  const options = useMemo(() => (d ? buildTree(d) : []), [d]);
  const path = useMemo(() => {
    if (!d || !value) return [];
    return d
      .divisionAncestors(value)
      .filter((r) => !r.group)
      .map((r) => r.code)
      .reverse();
  }, [d, value]);
  return (
    <Cascader
      id={id}
      options={options}
      value={path}
      changeOnSelect
      showSearch
      allowClear
      loading={!d}
      placeholder={t(m.placeholder)}
      onChange={(v) => {
        const codes = (v ?? []) as string[];
        onChange?.(codes.length ? (codes[codes.length - 1] ?? null) : null);
      }}
      style={{ width: '100%' }}
    />
  );
}
