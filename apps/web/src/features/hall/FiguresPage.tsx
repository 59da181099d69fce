import type { HallFigures, QueueFigures } from '@yimen/core';
import { Alert, Button, Card, Descriptions, Input, Space, Table, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { useApi } from '../../api/hooks.ts';
import { useAuth } from '../../app/auth.tsx';
import { useDuration, useGroupName } from './parts.tsx';

const todayInChina = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);

/** 大厅数据: a hall's day — tickets, waiting and serving times per group and per window. */
export default function FiguresPage() {
  const { t } = useTranslation();
  const { me } = useAuth();
  const groupName = useGroupName();
  const duration = useDuration();
  const [params, setParams] = useSearchParams();
  const code = params.get('servicePoint') ?? me?.servicePoint?.code ?? '';
  const date = params.get('date') ?? todayInChina();
  const [draft, setDraft] = useState({ code, date });
  const figures = useApi<HallFigures>(
    code ? `/hall/figures?servicePoint=${encodeURIComponent(code)}&date=${date}` : null,
  );
  const times = (label: string) => [
    { title: t('hall.figures.tickets'), dataIndex: 'tickets' },
    { title: t('hall.figures.served'), dataIndex: 'served' },
    { title: t('hall.figures.noShow'), dataIndex: 'noShow' },
    {
      title: t('hall.figures.waitMedian'),
      dataIndex: 'waitMedianSec',
      render: (v: number | null) => duration(v),
      key: `${label}wm`,
    },
    {
      title: t('hall.figures.waitP90'),
      dataIndex: 'waitP90Sec',
      render: (v: number | null) => duration(v),
    },
    {
      title: t('hall.figures.serveMedian'),
      dataIndex: 'serveMedianSec',
      render: (v: number | null) => duration(v),
    },
    {
      title: t('hall.figures.serveP90'),
      dataIndex: 'serveP90Sec',
      render: (v: number | null) => duration(v),
    },
  ];
  const f = figures.data;
  return (
    <div>
      <h1 style={{ fontSize: '1.3em' }}>
        {t('hall.figures.title')}
        {f ? ` · ${f.servicePoint.name}` : ''}
      </h1>
      <Space wrap style={{ marginBottom: 16 }}>
        <Input
          aria-label={t('hall.figures.servicePoint')}
          placeholder={t('hall.figures.servicePoint')}
          value={draft.code}
          onChange={(e) => setDraft({ ...draft, code: e.target.value.trim() })}
          style={{ width: 200 }}
        />
        <Input
          type="date"
          aria-label={t('hall.figures.date')}
          value={draft.date}
          onChange={(e) => setDraft({ ...draft, date: e.target.value })}
          style={{ width: 180 }}
        />
        <Button
          type="primary"
          onClick={() => setParams({ servicePoint: draft.code, date: draft.date })}
        >
          {t('hall.figures.show')}
        </Button>
      </Space>
      {figures.error && <Alert type="error" showIcon title={figures.error.message} role="alert" />}
      {f && (
        <>
          <Card
            size="small"
            title={t('hall.figures.totals', { date: f.date })}
            style={{ marginBottom: 16 }}
          >
            <Descriptions
              size="small"
              column={{ xs: 1, sm: 2, md: 4 }}
              items={[
                ['tickets', f.totals.tickets],
                ['served', f.totals.served],
                ['noShow', f.totals.noShow],
                ['waitingNow', f.totals.waitingNow],
                ['waitMedian', duration(f.totals.waitMedianSec)],
                ['waitP90', duration(f.totals.waitP90Sec)],
                ['serveMedian', duration(f.totals.serveMedianSec)],
                ['serveP90', duration(f.totals.serveP90Sec)],
              ].map(([k, v]) => ({ key: String(k), label: t(`hall.figures.${k}`), children: v }))}
            />
          </Card>
          <Card size="small" title={t('hall.figures.byGroup')} style={{ marginBottom: 16 }}>
            <Table<HallFigures['groups'][number]>
              rowKey="groupId"
              size="small"
              pagination={false}
              scroll={{ x: true }}
              dataSource={f.groups}
              columns={[
                { title: t('hall.setup.group'), render: (_, g) => `${g.prefix} · ${groupName(g)}` },
                ...(times('g') as object[]),
                { title: t('hall.figures.transferredIn'), dataIndex: 'transferredIn' },
                { title: t('hall.figures.transferredOut'), dataIndex: 'transferredOut' },
              ]}
            />
          </Card>
          <Card size="small" title={t('hall.figures.byWindow')}>
            <Table<QueueFigures & { windowId: string; name: string; transferredOut: number }>
              rowKey="windowId"
              size="small"
              pagination={false}
              scroll={{ x: true }}
              dataSource={f.windows}
              columns={[
                { title: t('hall.setup.window'), dataIndex: 'name' },
                ...(times('w') as object[]),
                { title: t('hall.figures.transferredOut'), dataIndex: 'transferredOut' },
              ]}
            />
          </Card>
          <Typography.Paragraph type="secondary" style={{ marginTop: 12 }}>
            {t('hall.figures.note')}
          </Typography.Paragraph>
        </>
      )}
    </div>
  );
}
