import type { ItemPage, ItemSummary } from '@yimen/core';
import { Select } from 'antd';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import { usePrefs } from '../../app/prefs.tsx';

/** Any item at one window (无差别受理): search the catalogue by name, code or pinyin. */
export function ItemPicker({ onPick, id }: { onPick: (code: string) => void; id?: string }) {
  const { t } = useTranslation();
  const { lang } = usePrefs();
  const [items, setItems] = useState<ItemSummary[]>([]);
  const [loading, setLoading] = useState(false);
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  const search = (q: string) => {
    clearTimeout(timer.current);
    if (!q.trim()) return;
    timer.current = setTimeout(async () => {
      setLoading(true);
      try {
        const qs = new URLSearchParams({ q: q.trim(), limit: '20' });
        setItems((await api<ItemPage>(`/catalog/items?${qs}`)).items);
      } finally {
        setLoading(false);
      }
    }, 250);
  };
  return (
    <Select
      id={id}
      style={{ width: '100%' }}
      size="large"
      showSearch={{ filterOption: false, onSearch: search }}
      loading={loading}
      placeholder={t('window.itemPlaceholder')}
      notFoundContent={loading ? t('common.loading') : null}
      onChange={(v: string) => onPick(v)}
      data-testid="item-picker"
      options={items.map((i) => ({
        value: i.code,
        label: `${lang === 'en' ? i.nameEn : i.name} · ${i.code}`,
      }))}
    />
  );
}
