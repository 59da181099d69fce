import { EditOutlined, StopOutlined } from '@ant-design/icons';
import type { ItemVersion, ItemVersionRef, VersionList } from '@yimen/core';
import { Alert, Button, Card, Popconfirm, Skeleton, Space, Table } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { type ApiError, api } from '../../../api/client.ts';
import { useApi } from '../../../api/hooks.ts';
import { usePrefs } from '../../../app/prefs.tsx';
import { ApiAlert, fmtTime, useAdmin } from '../shared.tsx';
import { StatusTag } from './CatalogListPage.tsx';
import { ItemEditor } from './ItemEditor.tsx';

/**
 * One item: its versions, the one in force, the open draft. A draft is made from the version
 * in force, edited, checked and published; the version it replaces is retired but stays
 * readable for the cases made under it.
 */
export default function ItemPage() {
  const { code = '' } = useParams();
  const { t } = useTranslation();
  const { lang } = usePrefs();
  const admin = useAdmin();
  const base = `/catalog/items/${encodeURIComponent(code)}`;
  const head = useApi<ItemVersion>(base);
  const versions = useApi<VersionList>(`${base}/versions`);
  const [chosen, setChosen] = useState<number>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError>();
  const [notice, setNotice] = useState<string>();

  const rows = versions.data?.items ?? [];
  const draft = rows.find((r) => r.status === 'draft');
  const inForce = rows.find((r) => r.status === 'published');
  const viewing = chosen ?? draft?.version ?? head.data?.version;
  const shown = useApi<ItemVersion>(viewing ? `${base}?version=${viewing}` : null);
  if (head.isLoading) return <Skeleton active paragraph={{ rows: 8 }} />;
  if (head.error || !head.data) return <ApiAlert error={head.error} />;

  const item = head.data;
  const editable = admin.within(item.scopeRegionCode);
  const reload = () => {
    void head.refetch();
    void versions.refetch();
    void shown.refetch();
  };
  const run = async (fn: () => Promise<void>) => {
    setBusy(true);
    setError(undefined);
    try {
      await fn();
    } catch (e) {
      setError(e as ApiError);
    } finally {
      setBusy(false);
    }
  };
  const openDraft = () =>
    run(async () => {
      setNotice(undefined);
      const from = inForce ? await api<ItemVersion>(`${base}?version=${inForce.version}`) : item;
      const r = await api<ItemVersionRef>(`${base}/draft`, {
        method: 'PUT',
        body: { content: from.content },
      });
      setChosen(r.version);
      reload();
    });
  const retire = () =>
    run(async () => {
      await api(`${base}/retire`, { method: 'POST', body: {} });
      setChosen(undefined);
      reload();
    });

  const name = lang === 'en' ? item.content.name.en : item.content.name.zh;
  const v = shown.data;
  return (
    <div>
      <p style={{ margin: 0 }}>
        <Link to="/admin/catalog">← {t('admin.catalog.title')}</Link>
      </p>
      <h1 style={{ fontSize: '1.3em' }} data-testid="item-title">
        {name} <span style={{ fontWeight: 400, fontSize: 14, color: '#555' }}>{item.code}</span>
      </h1>
      <Space wrap style={{ marginBottom: 12 }}>
        <span>
          {t('admin.catalog.scope')}：{item.scopeRegionCode}
        </span>
        {inForce && <span>{t('admin.item.inForce', { version: inForce.version })}</span>}
        <Link to={`/items/${item.code}`} target="_blank">
          {t('admin.item.publicGuide')}
        </Link>
      </Space>
      {!editable && (
        <Alert
          type="info"
          showIcon
          title={t('admin.catalog.readOnlyScope')}
          style={{ marginBottom: 12 }}
        />
      )}
      <ApiAlert error={error} />
      {notice && (
        <Alert
          type="success"
          showIcon
          role="status"
          closable
          data-testid="outcome-published"
          title={notice}
          style={{ marginBottom: 12 }}
        />
      )}
      <Card
        size="small"
        title={t('admin.item.versions')}
        style={{ marginBottom: 16 }}
        extra={
          editable && (
            <Space wrap>
              {!draft && (
                <Button
                  type="primary"
                  icon={<EditOutlined />}
                  loading={busy}
                  onClick={openDraft}
                  data-testid="new-draft"
                >
                  {t('admin.item.newDraft')}
                </Button>
              )}
              {item.status === 'published' && (
                <Popconfirm
                  title={t('admin.item.retireConfirm')}
                  okText={t('admin.item.retire')}
                  cancelText={t('admin.common.cancel')}
                  onConfirm={retire}
                >
                  <Button danger icon={<StopOutlined />} loading={busy} data-testid="retire-item">
                    {t('admin.item.retire')}
                  </Button>
                </Popconfirm>
              )}
            </Space>
          )
        }
      >
        <Table
          rowKey="version"
          size="small"
          pagination={false}
          loading={versions.isFetching}
          dataSource={rows}
          onRow={(r) => ({ onClick: () => setChosen(r.version), style: { cursor: 'pointer' } })}
          rowClassName={(r) => (r.version === viewing ? 'ant-table-row-selected' : '')}
          columns={[
            {
              title: t('admin.catalog.version'),
              key: 'v',
              render: (_, r) => (
                <Button
                  type="link"
                  size="small"
                  onClick={() => setChosen(r.version)}
                  data-testid={`version-${r.version}`}
                >
                  v{r.version}
                </Button>
              ),
            },
            {
              title: t('admin.item.status'),
              key: 's',
              render: (_, r) => <StatusTag status={r.status} />,
            },
            { title: t('admin.item.created'), key: 'c', render: (_, r) => fmtTime(r.createdAt) },
            {
              title: t('admin.item.published'),
              key: 'p',
              render: (_, r) => fmtTime(r.publishedAt),
            },
            { title: t('admin.item.retired'), key: 'r', render: (_, r) => fmtTime(r.retiredAt) },
          ]}
        />
      </Card>
      {v && (
        <Card
          size="small"
          title={
            v.status === 'draft'
              ? t('admin.item.editingDraft', { version: v.version })
              : t('admin.item.viewing', { version: v.version })
          }
        >
          {v.status !== 'draft' && (
            <Alert
              type="info"
              showIcon
              title={t('admin.item.frozen')}
              style={{ marginBottom: 12 }}
            />
          )}
          <ItemEditor
            key={`${v.code}:${v.version}:${v.status}`}
            item={v}
            previousVersion={inForce?.version ?? null}
            readOnly={!editable || v.status !== 'draft'}
            onChanged={(n) => {
              setNotice(n);
              setChosen(undefined);
              reload();
            }}
          />
        </Card>
      )}
    </div>
  );
}
