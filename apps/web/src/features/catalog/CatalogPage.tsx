import type { ItemPage, ThemeList } from '@yimen/core';
import { Alert, Button, Card, Empty, Input, Skeleton, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { useApi } from '../../api/hooks.ts';
import { usePrefs } from '../../app/prefs.tsx';

const PAGE = 10;

/** 办事大厅: find a service by life-event theme, keyword or pinyin (sydj → 生育登记). */
export default function CatalogPage() {
  const { t } = useTranslation();
  const { lang, elderly } = usePrefs();
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const theme = params.get('theme') ?? '';
  const page = Number(params.get('page') ?? '1') || 1;
  const themes = useApi<ThemeList>('/catalog/themes');
  const qs = new URLSearchParams({ limit: String(PAGE), offset: String((page - 1) * PAGE) });
  if (q) qs.set('q', q);
  if (theme) qs.set('theme', theme);
  const items = useApi<ItemPage>(`/catalog/items?${qs}`);
  const set = (patch: Record<string, string>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(patch)) {
      if (v) next.set(k, v);
      else next.delete(k);
    }
    setParams(next);
  };
  return (
    <div>
      <h1 style={{ fontSize: elderly ? '1.6em' : '1.4em' }}>{t('catalog.title')}</h1>
      <search>
        <Input.Search
          name="q"
          defaultValue={q}
          key={q}
          size="large"
          allowClear
          enterButton={t('catalog.search')}
          placeholder={t('catalog.searchPlaceholder')}
          aria-label={t('catalog.searchLabel')}
          onSearch={(v) => set({ q: v.trim(), page: '' })}
        />
      </search>
      <section aria-label={t('catalog.themes')} style={{ margin: '16px 0' }}>
        {themes.isLoading && <Skeleton.Button active block />}
        <div style={{ display: 'flex', flexWrap: 'wrap', gap: 8 }}>
          <Button
            type={theme ? 'default' : 'primary'}
            size={elderly ? 'large' : 'middle'}
            onClick={() => set({ theme: '', page: '' })}
          >
            {t('catalog.allThemes')}
          </Button>
          {themes.data?.items.map((th) => (
            <Button
              key={th.theme}
              type={theme === th.theme ? 'primary' : 'default'}
              size={elderly ? 'large' : 'middle'}
              aria-pressed={theme === th.theme}
              onClick={() => set({ theme: th.theme, page: '' })}
            >
              {th.label}
              <span className="ym-hide-elderly">&nbsp;({th.count})</span>
            </Button>
          ))}
        </div>
      </section>
      {items.error && <Alert type="error" showIcon title={items.error.message} />}
      {items.isFetching && <Skeleton active paragraph={{ rows: 6 }} />}
      {!items.isFetching && items.data?.items.length === 0 && (
        <Empty description={t('catalog.none')} />
      )}
      <div
        className="ym-tiles"
        style={{ gridTemplateColumns: 'repeat(auto-fill, minmax(280px, 1fr))' }}
      >
        {!items.isFetching &&
          items.data?.items.map((it) => (
            <Card
              key={it.code}
              size="small"
              title={
                <Link to={`/items/${it.code}`} data-testid={`item-${it.code}`}>
                  {lang === 'en' ? it.nameEn : it.name}
                </Link>
              }
            >
              <div>
                {t('catalog.promised', { count: it.promisedDays })} ·{' '}
                {it.visitsRequired === 0
                  ? t('catalog.zeroVisits')
                  : t('catalog.visits', { count: it.visitsRequired })}
              </div>
              <div className="ym-hide-elderly" style={{ marginTop: 6 }}>
                {it.channels.includes('online') && <Tag color="green">{t('catalog.online')}</Tag>}
                {it.acceptLevel === 'village' && <Tag color="blue">{t('catalog.atVillage')}</Tag>}
              </div>
            </Card>
          ))}
      </div>
      {items.data && items.data.total > PAGE && (
        <nav
          aria-label={t('catalog.pages')}
          style={{ display: 'flex', gap: 12, alignItems: 'center', marginTop: 16 }}
        >
          <Button disabled={page <= 1} onClick={() => set({ page: String(page - 1) })}>
            {t('common.prev')}
          </Button>
          <span aria-live="polite">
            {t('catalog.page', { page, pages: Math.ceil(items.data.total / PAGE) })}
          </span>
          <Button
            disabled={page * PAGE >= items.data.total}
            onClick={() => set({ page: String(page + 1) })}
          >
            {t('common.next')}
          </Button>
        </nav>
      )}
    </div>
  );
}
