import type { ApplicationDetail, ItemVersion } from '@yimen/core';
import { Alert, Button, Card, Form, type FormInstance } from 'antd';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiError } from '../../api/client.ts';
import { showFieldErrors, useIdempotentSubmit } from '../../api/hooks.ts';
import { usePrefs } from '../../app/prefs.tsx';
import { bi } from '../../i18n/index.ts';
import { FormFields, toFormData } from './FormFields.tsx';
import {
  type MaterialFiles,
  MaterialsPicker,
  materialRefs,
  missingRequired,
} from './Materials.tsx';

export interface ApplicationFormProps {
  item: ItemVersion;
  channel: 'online' | 'counter' | 'proxy';
  applicantId?: string;
  initialValues?: Record<string, unknown>;
  /** Online: every required material before sending. At the counter a case may go in short. */
  requireMaterials: boolean;
  /** Extra controls inside the form (the counter's channel and consent). */
  children?: ReactNode;
  /** Extra body fields from the form's values (proxyConsent). */
  extra?: (values: Record<string, unknown>) => Record<string, unknown>;
  onDone: (c: ApplicationDetail) => void;
}

/**
 * The application: the item's form, its materials, one submit. The Idempotency-Key is kept
 * across retries of this submission, so a second press after a lost answer creates nothing new.
 */
export function ApplicationForm(props: ApplicationFormProps) {
  const { t } = useTranslation();
  const { lang } = usePrefs();
  const [form] = Form.useForm();
  const [files, setFiles] = useState<MaterialFiles>({});
  const [showMissing, setShowMissing] = useState(false);
  const [messages, setMessages] = useState<string[]>([]);
  const submit = useIdempotentSubmit<ApplicationDetail>();
  const c = props.item.content;
  const specs = c.materials.filter(
    (m) => props.channel === 'proxy' || m.key !== 'proxyAuthorisation',
  );
  const missing = missingRequired(specs, files);

  const onFinish = async (values: Record<string, unknown>) => {
    setMessages([]);
    if (props.requireMaterials && missing.length) {
      setShowMissing(true);
      document.getElementById(`material-${missing[0]?.key}`)?.scrollIntoView({ block: 'center' });
      return;
    }
    try {
      const done = await submit.run('/applications', {
        body: {
          itemCode: props.item.code,
          channel: props.channel,
          ...(props.applicantId ? { applicantId: props.applicantId } : {}),
          formData: toFormData(c.form.fields, values),
          materials: materialRefs(files),
          ...(props.extra?.(values) ?? {}),
        },
      });
      props.onDone(done);
    } catch (e) {
      const err = e as ApiError;
      const rest = showFieldErrors(form, err);
      setMessages([err.message, ...rest]);
      if (err.fields.length) form.scrollToField(firstErrorName(form) ?? '', { block: 'center' });
    }
  };

  return (
    <Form
      form={form}
      layout="vertical"
      initialValues={props.initialValues}
      onFinish={onFinish}
      onFinishFailed={({ errorFields }) =>
        errorFields[0] && form.scrollToField(errorFields[0].name, { block: 'center' })
      }
      scrollToFirstError
    >
      {props.children}
      <Card size="small" title={t('apply.formTitle')} style={{ marginBottom: 16 }}>
        <FormFields fields={c.form.fields} />
      </Card>
      <Card size="small" title={t('apply.materialsTitle')} style={{ marginBottom: 16 }}>
        <MaterialsPicker
          specs={specs}
          value={files}
          onChange={setFiles}
          showMissing={showMissing}
        />
        {!props.requireMaterials && missing.length > 0 && (
          <Alert
            type="warning"
            showIcon
            title={t('apply.shortMaterials', {
              list: missing.map((m) => bi(m.name, lang)).join('、'),
            })}
          />
        )}
      </Card>
      {messages.length > 0 && (
        <Alert
          type="error"
          showIcon
          role="alert"
          data-testid="submit-error"
          title={messages[0]}
          description={messages.length > 1 ? messages.slice(1).join('；') : undefined}
          style={{ marginBottom: 16 }}
        />
      )}
      <Button
        type="primary"
        htmlType="submit"
        size="large"
        block
        loading={submit.pending}
        data-testid="submit-application"
      >
        {submit.pending ? t('apply.submitting') : t('apply.submit')}
      </Button>
    </Form>
  );
}

function firstErrorName(form: FormInstance) {
  return form.getFieldsError().find((f) => f.errors.length)?.name;
}
