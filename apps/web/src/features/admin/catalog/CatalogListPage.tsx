import type { CatalogStatus, ItemPage } from '@yimen/core';
import { Input, Select, Space, Table, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { useApi } from '../../../api/hooks.ts';
import { usePrefs } from '../../../app/prefs.tsx';
import { DEPARTMENTS, LEVEL_LABELS, optionsOf } from '../core.ts';
import { ApiAlert, useAdmin } from '../shared.tsx';
import { NewItemButton } from './NewItemDialog.tsx';

const PAGE = 20;

export function StatusTag({ status }: { status: CatalogStatus }) {
  const { t } = useTranslation();
  const color = { draft: 'gold', published: 'green', retired: 'default' }[status];
  return <Tag color={color}>{t(`admin.catalog.status.${status}`)}</Tag>;
}

/** The catalogue as the admin keeps it: every status, searchable by name, pinyin or code. */
export default function CatalogListPage() {
  const { t } = useTranslation();
  const { lang } = usePrefs();
  const admin = useAdmin();
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const status = params.get('status') ?? 'all';
  const department = params.get('department') ?? '';
  const page = Number(params.get('page') ?? '1');
  const [typed, setTyped] = useState(q);
  const qs = new URLSearchParams({
    status,
    limit: String(PAGE),
    offset: String((page - 1) * PAGE),
  });
  if (q) qs.set('q', q);
  if (department) qs.set('department', department);
  if (admin.root) qs.set('region', admin.root);
  const list = useApi<ItemPage>(`/catalog/items?${qs}`);
  const set = (patch: Record<string, string>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(patch)) {
      if (v) next.set(k, v);
      else next.delete(k);
    }
    if (!('page' in patch)) next.delete('page');
    setParams(next);
  };

  return (
    <div>
      <Space style={{ justifyContent: 'space-between', width: '100%' }} wrap>
        <h1 style={{ fontSize: '1.3em', marginTop: 0 }}>{t('admin.catalog.title')}</h1>
        <NewItemButton />
      </Space>
      <p style={{ color: '#555' }}>{t('admin.catalog.intro')}</p>
      <Space wrap style={{ marginBottom: 12 }}>
        <Input.Search
          aria-label={t('admin.catalog.search')}
          placeholder={t('admin.catalog.searchPlaceholder')}
          value={typed}
          onChange={(e) => setTyped(e.target.value)}
          onSearch={(v) => set({ q: v.trim() })}
          allowClear
          style={{ width: 280 }}
          data-testid="catalog-search"
        />
        <Select
          aria-label={t('admin.catalog.statusFilter')}
          value={status}
          onChange={(v) => set({ status: v })}
          style={{ width: 140 }}
          options={['all', 'published', 'draft', 'retired'].map((s) => ({
            value: s,
            label: t(`admin.catalog.status.${s}`),
          }))}
        />
        <Select
          aria-label={t('admin.catalog.department')}
          value={department || undefined}
          placeholder={t('admin.catalog.department')}
          onChange={(v) => set({ department: v ?? '' })}
          allowClear
          style={{ width: 180 }}
          options={optionsOf(DEPARTMENTS, lang)}
        />
      </Space>
      <ApiAlert error={list.error} />
      <Table
        rowKey="code"
        size="middle"
        loading={list.isFetching}
        dataSource={list.data?.items ?? []}
        pagination={{
          current: page,
          pageSize: PAGE,
          total: list.data?.total ?? 0,
          showSizeChanger: false,
          onChange: (p) => set({ page: String(p) }),
        }}
        scroll={{ x: 760 }}
        columns={[
          {
            title: t('admin.catalog.name'),
            key: 'name',
            render: (_, r) => (
              <Link to={`/admin/catalog/${r.code}`} data-testid={`admin-item-${r.code}`}>
                {lang === 'en' ? r.nameEn : r.name}
              </Link>
            ),
          },
          { title: t('admin.catalog.code'), dataIndex: 'code', key: 'code' },
          {
            title: t('admin.catalog.scope'),
            dataIndex: 'scopeRegionCode',
            key: 'scope',
            render: (v: string) =>
              admin.within(v) ? v : <span title={t('admin.catalog.readOnlyScope')}>{v} 🔒</span>,
          },
          {
            title: t('admin.catalog.acceptLevel'),
            dataIndex: 'acceptLevel',
            key: 'level',
            render: (v: string) => {
              const l = LEVEL_LABELS[v as keyof typeof LEVEL_LABELS];
              return l ? (lang === 'en' ? l.en : l.zh) : v;
            },
          },
          {
            title: t('admin.catalog.version'),
            key: 'version',
            render: (_, r) => (
              <Space size={4} wrap>
                <StatusTag status={r.status} />
                {r.version !== null && <span>v{r.version}</span>}
                {r.draftVersion ? (
                  <Tag color="gold">
                    {t('admin.catalog.draftOpen', { version: r.draftVersion })}
                  </Tag>
                ) : null}
              </Space>
            ),
          },
          {
            title: t('admin.catalog.promisedDays'),
            dataIndex: 'promisedDays',
            key: 'days',
            width: 110,
          },
        ]}
      />
    </div>
  );
}
