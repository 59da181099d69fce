import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Form, Input, Radio, Select, Space } from 'antd';
import { useTranslation } from 'react-i18next';

/** What each action asks for (packages/core/src/workflow/workflow.ts: `requires`). */
export function ActionFields({ action }: { action: string }) {
  const { t } = useTranslation();
  const required = [{ required: true, message: t('form.required') }];
  switch (action) {
    case 'refuse':
      return (
        <Form.Item name="reasons" label={t('action.reasons')} rules={required}>
          <Input.TextArea autoSize={{ minRows: 3 }} maxLength={2000} />
        </Form.Item>
      );
    case 'deny':
      return (
        <>
          <Form.Item name="reasons" label={t('action.reasons')} rules={required}>
            <Input.TextArea autoSize={{ minRows: 3 }} maxLength={2000} />
          </Form.Item>
          <Form.Item name="legalBasis" label={t('action.legalBasis')} rules={required}>
            <Input.TextArea autoSize={{ minRows: 2 }} maxLength={1000} />
          </Form.Item>
        </>
      );
    case 'suspend':
      return (
        <>
          <Form.Item name="procedure" label={t('action.procedure')} rules={required}>
            <Select
              options={[
                'site_inspection',
                'public_notice',
                'hearing',
                'expert_review',
                'other',
              ].map((p) => ({
                value: p,
                label: t(`procedure.${p}`),
              }))}
            />
          </Form.Item>
          <Form.Item name="reasons" label={t('action.reasons')} rules={required}>
            <Input.TextArea autoSize={{ minRows: 2 }} maxLength={2000} />
          </Form.Item>
        </>
      );
    case 'requestCorrection':
      return <MissingList />;
    case 'handOver':
      return (
        <fieldset style={{ border: 0, padding: 0, margin: 0 }}>
          <legend style={{ fontSize: '1em', border: 0, marginBottom: 8 }}>
            {t('action.idCheck')}
          </legend>
          <Form.Item name={['recipient', 'relation']} label={t('action.relation')} rules={required}>
            <Radio.Group
              aria-label={t('action.relation')}
              options={['self', 'family', 'authorised'].map((r) => ({
                value: r,
                label: t(`relation.${r}`),
              }))}
            />
          </Form.Item>
          <Form.Item
            name={['recipient', 'name']}
            label={t('action.recipientName')}
            rules={required}
          >
            <Input maxLength={50} />
          </Form.Item>
          <Form.Item
            name={['recipient', 'idNumber']}
            label={t('action.recipientId')}
            extra={t('window.readerHint')}
            rules={[...required, { pattern: /^\d{17}[\dXx]$/, message: t('form.idNumberInvalid') }]}
            normalize={(v: string) => v?.toUpperCase().trim()}
          >
            <Input maxLength={18} autoComplete="off" data-testid="recipient-id" />
          </Form.Item>
        </fieldset>
      );
    case 'mail':
      return (
        <Form.Item name="trackingNo" label={t('action.trackingNo')} rules={required}>
          <Input maxLength={40} />
        </Form.Item>
      );
    default:
      return null;
  }
}

/** 一次性告知: everything missing, in one notice. */
function MissingList() {
  const { t } = useTranslation();
  return (
    <Form.List
      name="missing"
      rules={[
        {
          validator: async (_, v) =>
            v?.length ? undefined : Promise.reject(new Error(t('action.missingNone'))),
        },
      ]}
    >
      {(fields, { add, remove }, { errors }) => (
        <fieldset style={{ border: 0, padding: 0, margin: 0 }}>
          <legend style={{ fontSize: '1em', border: 0, marginBottom: 8 }}>
            {t('action.missing')}
          </legend>
          {fields.map((f, i) => (
            <Space key={f.key} align="start" wrap style={{ display: 'flex' }}>
              <Form.Item
                name={[f.name, 'item']}
                label={t('action.missingItem', { n: i + 1 })}
                rules={[{ required: true, message: t('form.required') }]}
              >
                <Input maxLength={200} data-testid={`missing-item-${i}`} />
              </Form.Item>
              <Form.Item name={[f.name, 'detail']} label={t('action.missingDetail')}>
                <Input maxLength={500} />
              </Form.Item>
              <Button
                type="text"
                icon={<MinusCircleOutlined />}
                aria-label={t('action.removeLine', { n: i + 1 })}
                onClick={() => remove(f.name)}
                style={{ marginTop: 30 }}
              />
            </Space>
          ))}
          <Button type="dashed" onClick={() => add({ item: '' })} icon={<PlusOutlined />}>
            {t('action.addMissing')}
          </Button>
          <Form.ErrorList errors={errors} />
        </fieldset>
      )}
    </Form.List>
  );
}
