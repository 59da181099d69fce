import type { ProxyConsentSent } from '@yimen/core';
import { Alert, Button, Form, Input, Radio } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, api } from '../../api/client.ts';
import { uploadFile } from '../apply/Materials.tsx';

export type Channel = 'counter' | 'proxy';

/**
 * 本人到场 or 代办: a proxy application records the villager's consent — the code sent to
 * their phone that they read out, or their signed consent form scanned here.
 */
export function ConsentFields(props: {
  channel: Channel;
  onChannel: (c: Channel) => void;
  residentId: string;
  channels: string[];
}) {
  const { t } = useTranslation();
  const form = Form.useFormInstance();
  const method = Form.useWatch('consentMethod', form) as 'sms' | 'signedScan' | undefined;
  const [sent, setSent] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const sendCode = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const r = await api<ProxyConsentSent>('/applications/proxy-consent', {
        body: { applicantId: props.residentId },
      });
      setSent(r.mobileMasked);
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <Form.Item name="channel" label={t('counter.channel')}>
        <Radio.Group
          aria-label={t('counter.channel')}
          onChange={(e) => props.onChannel(e.target.value)}
          options={[
            { value: 'counter', label: t('channel.counter') },
            {
              value: 'proxy',
              label: t('channel.proxy'),
              disabled: !props.channels.includes('proxy'),
            },
          ]}
        />
      </Form.Item>
      {props.channel === 'proxy' && (
        <>
          <Form.Item name="consentMethod" label={t('counter.consent')}>
            <Radio.Group
              aria-label={t('counter.consent')}
              options={[
                { value: 'sms', label: t('counter.consentSms') },
                { value: 'signedScan', label: t('counter.consentScan') },
              ]}
            />
          </Form.Item>
          {method !== 'signedScan' ? (
            <>
              <Button
                onClick={sendCode}
                loading={busy}
                style={{ marginBottom: 8 }}
                data-testid="send-consent"
              >
                {t('counter.sendConsent')}
              </Button>
              {sent && <p>{t('counter.consentSent', { mobile: sent })}</p>}
              <Form.Item
                name={['proxyConsent', 'code']}
                label={t('counter.consentCode')}
                rules={[{ required: true, pattern: /^\d{6}$/, message: t('auth.codeInvalid') }]}
              >
                <Input
                  inputMode="numeric"
                  maxLength={6}
                  autoComplete="off"
                  data-testid="consent-code"
                />
              </Form.Item>
            </>
          ) : (
            <Form.Item
              name="consentScan"
              label={t('counter.consentScanLabel')}
              rules={[{ required: true, message: t('counter.consentScanMissing') }]}
            >
              <ScanInput onError={setError} />
            </Form.Item>
          )}
          {error && <Alert type="error" showIcon title={error} />}
        </>
      )}
    </>
  );
}

export function consentBody(channel: Channel, v: Record<string, unknown>) {
  if (channel !== 'proxy') return {};
  if (v.consentMethod === 'signedScan')
    return { proxyConsent: { method: 'signedScan', sha256: v.consentScan } };
  const code = (v.proxyConsent as { code?: string } | undefined)?.code;
  return { proxyConsent: { method: 'sms', code } };
}

/** The signed consent form, scanned: the form field's value is the uploaded file's SHA-256. */
function ScanInput(props: {
  value?: string;
  onChange?: (sha256: string) => void;
  onError: (m: string) => void;
  id?: string;
}) {
  const { t } = useTranslation();
  const [name, setName] = useState<string>();
  const [busy, setBusy] = useState(false);
  const pick = async (file: File | undefined) => {
    if (!file) return;
    setBusy(true);
    try {
      const u = await uploadFile(file);
      setName(file.name);
      props.onChange?.(u.sha256);
    } catch (e) {
      props.onError(e instanceof ApiError ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <span>
      <input
        id={props.id}
        type="file"
        accept="application/pdf,image/jpeg,image/png"
        disabled={busy}
        onChange={(e) => void pick(e.target.files?.[0])}
        data-testid="consent-scan"
      />
      {props.value && name && <span> ✓ {t('counter.scanned', { name })}</span>}
    </span>
  );
}
