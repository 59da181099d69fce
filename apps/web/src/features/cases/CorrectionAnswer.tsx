import type { ApplicationActionInput, ApplicationDetail, ItemVersion } from '@yimen/core';
import { Alert, Button, Card, Input } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { apiUrl } from '../../api/client.ts';
import { useApi, useIdempotentSubmit } from '../../api/hooks.ts';
import { type MaterialFiles, MaterialsPicker, materialRefs } from '../apply/Materials.tsx';

/** 补正: the one-time notice lists everything missing; the applicant supplies it and resubmits. */
export function CorrectionAnswer({ c, onDone }: { c: ApplicationDetail; onDone: () => void }) {
  const { t } = useTranslation();
  const item = useApi<ItemVersion>(`/catalog/items/${c.itemCode}?version=${c.itemVersion ?? ''}`);
  const [files, setFiles] = useState<MaterialFiles>({});
  const [comment, setComment] = useState('');
  const submit = useIdempotentSubmit<ApplicationDetail>();
  // The open notice is the payload of the requestCorrection action that opened it.
  const notice = c.correction as Pick<ApplicationActionInput, 'missing'> | null;
  const missing = notice?.missing ?? [];
  const send = async () => {
    try {
      await submit.run(`/applications/${c.id}/actions/resubmit`, {
        body: {
          version: c.version,
          materials: materialRefs(files),
          ...(comment.trim() ? { comment: comment.trim() } : {}),
        },
      });
      onDone();
    } catch {
      // shown below
    }
  };
  return (
    <Card
      size="small"
      style={{ marginTop: 16, borderColor: '#f59e0b' }}
      title={t('correction.title')}
      data-testid="correction-answer"
    >
      <p>{t('correction.intro')}</p>
      <ol data-testid="correction-missing">
        {missing.map((m) => (
          <li key={m.item}>
            {m.item}
            {m.detail ? `：${m.detail}` : ''}
          </li>
        ))}
      </ol>
      <p>
        <a
          href={apiUrl(`/applications/${c.id}/correction-notice`)}
          target="_blank"
          rel="noreferrer"
        >
          {t('correction.printNotice')}
        </a>
      </p>
      {item.data && (
        <MaterialsPicker specs={item.data.content.materials} value={files} onChange={setFiles} />
      )}
      <label htmlFor="resubmit-comment">{t('correction.comment')}</label>
      <Input.TextArea
        id="resubmit-comment"
        value={comment}
        maxLength={2000}
        onChange={(e) => setComment(e.target.value)}
        autoSize={{ minRows: 2 }}
      />
      {submit.error && (
        <Alert
          type="error"
          showIcon
          role="alert"
          title={submit.error.message}
          style={{ marginTop: 8 }}
        />
      )}
      <Button
        type="primary"
        size="large"
        block
        style={{ marginTop: 12 }}
        loading={submit.pending}
        onClick={send}
        data-testid="resubmit"
      >
        {t('correction.resubmit')}
      </Button>
    </Card>
  );
}
