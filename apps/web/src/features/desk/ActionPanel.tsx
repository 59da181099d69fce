import type { ApplicationDetail } from '@yimen/core';
import { Alert, Button, Form, Input, Modal } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiError } from '../../api/client.ts';
import { showFieldErrors, useIdempotentSubmit } from '../../api/hooks.ts';
import { ActionFields } from './ActionFields.tsx';

const ORDER = [
  'preReview',
  'accept',
  'review',
  'approve',
  'issue',
  'handOver',
  'mail',
  'resume',
  'requestCorrection',
  'suspend',
  'refuse',
  'deny',
  'withdraw',
];
const DANGER = new Set(['refuse', 'deny', 'withdraw']);
const SEALED = new Set(['approve', 'deny', 'issue']);

function initialValues(action: string, c: ApplicationDetail, names: Record<string, string>) {
  if (action === 'requestCorrection')
    return { missing: c.missingMaterials.map((k) => ({ item: names[k] ?? k })) };
  if (action === 'handOver') return { recipient: { relation: 'self', name: c.applicant.name } };
  return {};
}

/** One action, in a dialog: its required fields, a comment, and one idempotent submit. */
function ActionDialog(props: {
  action: string;
  c: ApplicationDetail;
  materialNames: Record<string, string>;
  onClose: () => void;
  onDone: (c: ApplicationDetail) => void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm();
  const submit = useIdempotentSubmit<ApplicationDetail>();
  const [messages, setMessages] = useState<string[]>([]);
  const { action, c } = props;
  const send = async (values: Record<string, unknown>) => {
    setMessages([]);
    try {
      const body: Record<string, unknown> = { version: c.version };
      for (const [k, v] of Object.entries(values)) if (v !== undefined && v !== '') body[k] = v;
      props.onDone(await submit.run(`/applications/${c.id}/actions/${action}`, { body }));
    } catch (e) {
      const err = e as ApiError;
      setMessages([err.message, ...showFieldErrors(form, err)]);
    }
  };
  return (
    <Modal
      open
      title={t(`actions.${action}`)}
      onCancel={props.onClose}
      okText={t(`actions.${action}`)}
      okButtonProps={{
        danger: DANGER.has(action),
        loading: submit.pending,
        'data-testid': 'confirm-action',
      }}
      onOk={() => form.submit()}
      destroyOnHidden
    >
      <Form
        form={form}
        layout="vertical"
        initialValues={initialValues(action, c, props.materialNames)}
        onFinish={send}
      >
        {SEALED.has(action) && (
          <Alert
            type="info"
            showIcon
            style={{ marginBottom: 12 }}
            title={t('action.seal', { unit: c.deciding.name })}
          />
        )}
        <ActionFields action={action} />
        <Form.Item name="comment" label={t('action.comment')}>
          <Input.TextArea autoSize={{ minRows: 2 }} maxLength={2000} />
        </Form.Item>
        {messages.length > 0 && (
          <Alert
            type="error"
            showIcon
            role="alert"
            data-testid="action-error"
            title={messages[0]}
            description={messages.slice(1).join('；') || undefined}
          />
        )}
      </Form>
    </Modal>
  );
}

/** The buttons for what this user may do now, from the case's allowedActions. */
export function ActionPanel(props: {
  c: ApplicationDetail;
  materialNames: Record<string, string>;
  onDone: (c: ApplicationDetail) => void;
}) {
  const { t } = useTranslation();
  const [open, setOpen] = useState<string | null>(null);
  const actions = ORDER.filter((a) => props.c.allowedActions.includes(a));
  if (!actions.length) return null;
  return (
    <div
      style={{ display: 'flex', gap: 8, flexWrap: 'wrap', margin: '16px 0' }}
      className="ym-noprint"
    >
      {actions.map((a) => (
        <Button
          key={a}
          type={DANGER.has(a) ? 'default' : 'primary'}
          danger={DANGER.has(a)}
          size="large"
          onClick={() => setOpen(a)}
          data-testid={`action-${a}`}
        >
          {t(`actions.${a}`)}
        </Button>
      ))}
      {open && (
        <ActionDialog
          key={open}
          action={open}
          c={props.c}
          materialNames={props.materialNames}
          onClose={() => setOpen(null)}
          onDone={(c) => {
            setOpen(null);
            props.onDone(c);
          }}
        />
      )}
    </div>
  );
}
