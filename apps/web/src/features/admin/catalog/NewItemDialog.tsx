import { PlusOutlined } from '@ant-design/icons';
import type { ItemPage, ItemVersion } from '@yimen/core';
import { Button, Form, Input, Modal, Select } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { type ApiError, api } from '../../../api/client.ts';
import { usePrefs } from '../../../app/prefs.tsx';
import { ApiAlert, useAdmin } from '../shared.tsx';

interface Values {
  template: string;
  code: string;
  nameZh: string;
  nameEn: string;
  scopeRegionCode: string;
}

/**
 * A new item starts as a copy of one already in the catalogue (its guide, materials, form and
 * routing), under its own code and name: the draft then opens in the editor, and nothing is
 * public until it is published. Offices add items this way — most are variants of another.
 */
export function NewItemButton() {
  const { t } = useTranslation();
  const { lang } = usePrefs();
  const admin = useAdmin();
  const navigate = useNavigate();
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError>();
  const [options, setOptions] = useState<{ value: string; label: string }[]>([]);
  const [form] = Form.useForm<Values>();

  const findTemplates = async (q: string) => {
    const qs = new URLSearchParams({ limit: '20' });
    if (q.trim()) qs.set('q', q.trim());
    const r = await api<ItemPage>(`/catalog/items?${qs}`);
    setOptions(
      r.items.map((i) => ({
        value: i.code,
        label: `${lang === 'en' ? i.nameEn : i.name} (${i.code})`,
      })),
    );
  };

  const create = async (v: Values) => {
    setBusy(true);
    setError(undefined);
    try {
      const tpl = await api<ItemVersion>(`/catalog/items/${encodeURIComponent(v.template)}`);
      await api(`/catalog/items`, {
        method: 'POST',
        body: {
          code: v.code.trim(),
          scopeRegionCode: v.scopeRegionCode.trim(),
          content: { ...tpl.content, name: { zh: v.nameZh.trim(), en: v.nameEn.trim() } },
        },
      });
      setOpen(false);
      navigate(`/admin/catalog/${encodeURIComponent(v.code.trim())}`);
    } catch (e) {
      setError(e as ApiError);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <Button
        type="primary"
        icon={<PlusOutlined />}
        data-testid="new-item"
        onClick={() => {
          setOpen(true);
          void findTemplates('');
        }}
      >
        {t('admin.newItem.button')}
      </Button>
      <Modal
        open={open}
        title={t('admin.newItem.title')}
        okText={t('admin.newItem.create')}
        okButtonProps={{ loading: busy, 'data-testid': 'new-item-create' } as never}
        onOk={() => form.submit()}
        onCancel={() => setOpen(false)}
        destroyOnHidden
      >
        <p style={{ color: '#555' }}>{t('admin.newItem.intro')}</p>
        <ApiAlert error={error} style={{ marginBottom: 12 }} />
        <Form
          form={form}
          layout="vertical"
          onFinish={create}
          initialValues={{ scopeRegionCode: admin.root ?? '4309' }}
        >
          <Form.Item
            name="template"
            label={t('admin.newItem.template')}
            rules={[{ required: true, message: t('admin.newItem.required') }]}
          >
            <Select
              showSearch
              filterOption={false}
              onSearch={(q) => void findTemplates(q)}
              options={options}
              data-testid="new-item-template"
            />
          </Form.Item>
          <Form.Item
            name="code"
            label={t('admin.catalog.code')}
            extra={t('admin.newItem.codeHint')}
            rules={[
              { required: true, message: t('admin.newItem.required') },
              { pattern: /^[A-Za-z0-9][A-Za-z0-9-]{3,59}$/, message: t('admin.newItem.codeHint') },
            ]}
          >
            <Input data-testid="new-item-code" />
          </Form.Item>
          <Form.Item
            name="nameZh"
            label={t('admin.newItem.nameZh')}
            rules={[{ required: true, message: t('admin.newItem.required') }]}
          >
            <Input data-testid="new-item-name-zh" />
          </Form.Item>
          <Form.Item
            name="nameEn"
            label={t('admin.newItem.nameEn')}
            rules={[{ required: true, message: t('admin.newItem.required') }]}
          >
            <Input data-testid="new-item-name-en" />
          </Form.Item>
          <Form.Item
            name="scopeRegionCode"
            label={t('admin.catalog.scope')}
            extra={t('admin.newItem.scopeHint')}
            rules={[{ required: true, message: t('admin.newItem.required') }]}
          >
            <Input data-testid="new-item-scope" />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
