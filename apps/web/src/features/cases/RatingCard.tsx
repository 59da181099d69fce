import type { ApplicationDetail } from '@yimen/core';
import { Alert, Button, Card, Input, Radio } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, api } from '../../api/client.ts';

const GRADES = [5, 4, 3, 2, 1];

/** 好差评: five grades; a bad one is followed up by the station. */
export function RatingCard({ c, onDone }: { c: ApplicationDetail; onDone: () => void }) {
  const { t } = useTranslation();
  const [grade, setGrade] = useState<number>();
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  if (c.rating)
    return (
      <Card
        size="small"
        style={{ marginTop: 16 }}
        title={t('rating.title')}
        data-testid="rating-done"
      >
        {t('rating.thanks', { label: t(`rating.g${c.rating.grade}`) })}
      </Card>
    );
  const send = async () => {
    if (!grade) return setError(t('rating.choose'));
    setBusy(true);
    setError(undefined);
    try {
      await api(`/applications/${c.id}/rating`, {
        body: { grade, ...(comment.trim() ? { comment: comment.trim() } : {}) },
      });
      onDone();
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card size="small" style={{ marginTop: 16 }} title={t('rating.title')}>
      <Radio.Group
        aria-label={t('rating.title')}
        value={grade}
        onChange={(e) => setGrade(e.target.value)}
        style={{ display: 'flex', flexDirection: 'column', gap: 8 }}
        options={GRADES.map((g) => ({ value: g, label: t(`rating.g${g}`) }))}
      />
      <label htmlFor="rating-comment" style={{ display: 'block', marginTop: 12 }}>
        {t('rating.comment')}
      </label>
      <Input.TextArea
        id="rating-comment"
        value={comment}
        maxLength={1000}
        onChange={(e) => setComment(e.target.value)}
      />
      {error && <Alert type="error" role="alert" showIcon title={error} style={{ marginTop: 8 }} />}
      <Button
        type="primary"
        style={{ marginTop: 12 }}
        loading={busy}
        onClick={send}
        data-testid="rate"
      >
        {t('rating.send')}
      </Button>
    </Card>
  );
}
