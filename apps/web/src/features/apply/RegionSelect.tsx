import type { Region, RegionLookupResult, RegionPage } from '@yimen/core';
import { Select } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';

const labelOf = (r: Region) => {
  const parents = r.path.filter((p) => p.level === 'county' || p.level === 'township');
  return parents.length ? `${r.name} · ${parents.map((p) => p.name).join('')}` : r.name;
};

/** A village (or other level) chosen by name or pinyin, shown with its county and township. */
export function RegionSelect(props: {
  value?: string;
  onChange?: (v: string) => void;
  level?: string;
  id?: string;
  'aria-label'?: string;
}) {
  const { t } = useTranslation();
  const [options, setOptions] = useState<Region[]>([]);
  const [loading, setLoading] = useState(false);
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  const known = useRef(new Map<string, Region>());

  const withPaths = async (codes: string[]) => {
    if (!codes.length) return [];
    const r = await api<RegionLookupResult>('/regions/lookup', { body: { codes } });
    for (const x of r.items) known.current.set(x.code, x);
    return r.items;
  };
  // The current value (a default such as the applicant's village) is shown by name.
  // biome-ignore lint/correctness/useExhaustiveDependencies: only a new value needs a lookup
  useEffect(() => {
    if (props.value && !known.current.has(props.value))
      void withPaths([props.value]).then((items) => setOptions((o) => (o.length ? o : items)));
  }, [props.value]);

  const search = (q: string) => {
    clearTimeout(timer.current);
    if (!q.trim()) return;
    timer.current = setTimeout(async () => {
      setLoading(true);
      try {
        const qs = new URLSearchParams({
          q: q.trim(),
          level: props.level ?? 'village',
          limit: '20',
        });
        const r = await api<RegionPage>(`/regions?${qs}`);
        setOptions(await withPaths(r.items.map((x) => x.code)));
      } finally {
        setLoading(false);
      }
    }, 250);
  };
  return (
    <Select
      id={props.id}
      aria-label={props['aria-label']}
      showSearch={{ filterOption: false, onSearch: search }}
      value={props.value}
      onChange={props.onChange}
      loading={loading}
      placeholder={t('form.regionPlaceholder')}
      notFoundContent={loading ? t('common.loading') : t('form.regionNone')}
      options={options.map((r) => ({ value: r.code, label: labelOf(r) }))}
    />
  );
}

/** A region code shown as its name with county and township. */
export function RegionName({ code }: { code: string }) {
  const [label, setLabel] = useState(code);
  useEffect(() => {
    let live = true;
    void api<RegionLookupResult>('/regions/lookup', { body: { codes: [code] } })
      .then((r) => live && r.items[0] && setLabel(labelOf(r.items[0])))
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [code]);
  return <>{label}</>;
}
