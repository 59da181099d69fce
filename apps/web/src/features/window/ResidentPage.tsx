import type { ResidentDetail } from '@yimen/core';
import { Alert, Button, Card, Descriptions, Skeleton, Table } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import { useApi } from '../../api/hooks.ts';
import { ItemPicker } from './ItemPicker.tsx';

/** The villager at the window: who they are, their household, and a new case for them. */
export default function ResidentPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [reveal, setReveal] = useState(false);
  const r = useApi<ResidentDetail>(`/residents/${id}`);
  if (r.isLoading) return <Skeleton active paragraph={{ rows: 8 }} />;
  if (r.error || !r.data) return <Alert type="error" showIcon title={r.error?.message} />;
  const p = r.data;
  return (
    <div>
      <h1 style={{ fontSize: '1.3em' }}>{p.name}</h1>
      <Descriptions
        bordered
        size="small"
        column={{ xs: 1, md: 2 }}
        items={[
          {
            key: 'id',
            label: t('window.idNumber'),
            children: (
              <span>
                <span data-testid="resident-id-number">
                  {reveal ? p.idNumber : p.idNumberMasked}
                </span>{' '}
                <Button size="small" onClick={() => setReveal(!reveal)} data-testid="reveal-id">
                  {reveal ? t('window.hide') : t('window.reveal')}
                </Button>
              </span>
            ),
          },
          { key: 'b', label: t('window.birth'), children: p.birthDate },
          {
            key: 's',
            label: t('window.sex'),
            children: t(`sex.${p.sex}`, { defaultValue: p.sex }),
          },
          { key: 'm', label: t('window.mobile'), children: p.mobile ?? '—' },
          { key: 'a', label: t('window.address'), children: p.household?.address ?? '—' },
        ]}
      />
      <Card size="small" title={t('window.startCase')} style={{ margin: '16px 0' }}>
        <label htmlFor="item-picker" style={{ display: 'block', marginBottom: 6 }}>
          {t('window.chooseItem')}
        </label>
        <ItemPicker
          id="item-picker"
          onPick={(code) => navigate(`/window/residents/${p.id}/apply/${code}`)}
        />
      </Card>
      {p.household && (
        <Card size="small" title={t('window.household', { no: p.household.householdNo })}>
          <Table
            rowKey="id"
            size="small"
            pagination={false}
            dataSource={p.household.members}
            scroll={{ x: true }}
            columns={[
              {
                title: t('window.name'),
                dataIndex: 'name',
                render: (v: string, m) =>
                  m.id === p.id ? (
                    <strong>{v}</strong>
                  ) : (
                    <Button type="link" onClick={() => navigate(`/window/residents/${m.id}`)}>
                      {v}
                    </Button>
                  ),
              },
              {
                title: t('window.relationship'),
                dataIndex: 'relationship',
                render: (v: string) => t(`relation.${v}`, { defaultValue: v }),
              },
              { title: t('window.idNumber'), dataIndex: 'idNumberMasked' },
            ]}
          />
        </Card>
      )}
    </div>
  );
}
