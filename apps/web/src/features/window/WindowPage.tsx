import { IdcardOutlined } from '@ant-design/icons';
import type { ResidentPage, ResidentSummary } from '@yimen/core';
import { Alert, Button, Card, Form, Input, Space, Table } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { ApiError, api } from '../../api/client.ts';
import { showFieldErrors } from '../../api/hooks.ts';

/**
 * 综合窗口: the one door. Find the villager by ID number — an ID-card reader types the number
 * and Enter like a keyboard — or by name within the station's area.
 */
export default function WindowPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [form] = Form.useForm();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [found, setFound] = useState<ResidentSummary[]>();
  const [name, setName] = useState('');

  const lookup = async ({ idNumber }: { idNumber: string }) => {
    setBusy(true);
    setError(undefined);
    try {
      const r = await api<ResidentPage>('/residents/lookup', {
        body: { idNumber: idNumber.trim().toUpperCase() },
      });
      if (r.items.length === 1 && r.items[0]) navigate(`/window/residents/${r.items[0].id}`);
      else if (r.items.length === 0) setError(t('window.notFound'));
      else setFound(r.items);
    } catch (e) {
      if (e instanceof ApiError) {
        const rest = showFieldErrors(form, e);
        if (!e.fields.length || rest.length) setError([e.message, ...rest].join('；'));
      }
    } finally {
      setBusy(false);
    }
  };
  const byName = async () => {
    if (!name.trim()) return;
    setBusy(true);
    setError(undefined);
    try {
      const r = await api<ResidentPage>(`/residents?q=${encodeURIComponent(name.trim())}&limit=50`);
      setFound(r.items);
      if (!r.items.length) setError(t('window.notFound'));
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div>
      <h1 style={{ fontSize: '1.3em' }}>{t('window.title')}</h1>
      <Card size="small" title={t('window.byId')} style={{ marginBottom: 16 }}>
        <Form form={form} layout="vertical" onFinish={lookup} requiredMark={false}>
          <Form.Item
            name="idNumber"
            label={t('window.idNumber')}
            extra={t('window.readerHint')}
            rules={[
              { required: true, pattern: /^\d{17}[\dXx]$/, message: t('form.idNumberInvalid') },
            ]}
          >
            <Input
              size="large"
              prefix={<IdcardOutlined />}
              maxLength={18}
              autoFocus
              autoComplete="off"
              spellCheck={false}
              data-testid="id-lookup"
            />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={busy} size="large">
            {t('window.find')}
          </Button>
        </Form>
      </Card>
      <Card size="small" title={t('window.byName')} style={{ marginBottom: 16 }}>
        <Space.Compact style={{ width: '100%' }}>
          <Input
            aria-label={t('window.name')}
            value={name}
            onChange={(e) => setName(e.target.value)}
            onPressEnter={byName}
          />
          <Button onClick={byName}>{t('window.find')}</Button>
        </Space.Compact>
      </Card>
      {error && (
        <Alert type="warning" showIcon title={error} role="alert" style={{ marginBottom: 16 }} />
      )}
      {found && found.length > 0 && (
        <Table
          rowKey="id"
          size="small"
          dataSource={found}
          pagination={{ pageSize: 10, hideOnSinglePage: true }}
          scroll={{ x: true }}
          columns={[
            {
              title: t('window.name'),
              dataIndex: 'name',
              render: (v: string, r) => (
                <Button type="link" onClick={() => navigate(`/window/residents/${r.id}`)}>
                  {v}
                </Button>
              ),
            },
            { title: t('window.idNumber'), dataIndex: 'idNumberMasked' },
            { title: t('window.mobile'), dataIndex: 'mobileMasked' },
          ]}
        />
      )}
    </div>
  );
}
