import type { LoginResult, SmsCodeResult } from '@yimen/core';
import { Alert, Button, Card, Form, Input, Space, Tabs } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router';
import { ApiError, api } from '../../api/client.ts';
import { showFieldErrors } from '../../api/hooks.ts';
import { homeOf, useAuth } from '../../app/auth.tsx';

function useAfterSignIn() {
  const { signedIn } = useAuth();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  return (a: LoginResult) => {
    signedIn(a.user);
    const next = params.get('next');
    navigate(next?.startsWith('/') ? next : homeOf(a.user), { replace: true });
  };
}

function CitizenSignIn() {
  const { t } = useTranslation();
  const [form] = Form.useForm();
  const done = useAfterSignIn();
  const [wait, setWait] = useState(0);
  const [sent, setSent] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  useEffect(() => {
    if (wait <= 0) return;
    const id = setTimeout(() => setWait((w) => w - 1), 1000);
    return () => clearTimeout(id);
  }, [wait]);
  const fail = (e: unknown) => {
    if (!(e instanceof ApiError)) return setError(String(e));
    const rest = showFieldErrors(form, e);
    setError(e.fields.length && !rest.length ? undefined : [e.message, ...rest].join('；'));
  };
  const sendCode = async () => {
    setError(undefined);
    try {
      const mobile = await form.validateFields(['mobile']).then((v) => v.mobile as string);
      const r = await api<SmsCodeResult>('/auth/sms-code', { body: { mobile } });
      setSent(true);
      setWait(r.resendAfterSeconds);
    } catch (e) {
      if (e instanceof ApiError) fail(e);
    }
  };
  const submit = async (v: { mobile: string; code: string }) => {
    setBusy(true);
    setError(undefined);
    try {
      done(await api<LoginResult>('/auth/sms-login', { body: { ...v, tokenType: 'cookie' } }));
    } catch (e) {
      fail(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Form form={form} layout="vertical" onFinish={submit} requiredMark={false}>
      {error && (
        <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} role="alert" />
      )}
      <Form.Item
        name="mobile"
        label={t('auth.mobile')}
        rules={[{ required: true, pattern: /^1[3-9]\d{9}$/, message: t('auth.mobileInvalid') }]}
      >
        <Input inputMode="tel" autoComplete="tel" maxLength={11} size="large" />
      </Form.Item>
      <Form.Item label={t('auth.code')} required>
        <Space.Compact style={{ width: '100%' }}>
          <Form.Item
            name="code"
            noStyle
            rules={[{ required: true, pattern: /^\d{6}$/, message: t('auth.codeInvalid') }]}
          >
            <Input
              inputMode="numeric"
              autoComplete="one-time-code"
              maxLength={6}
              size="large"
              aria-label={t('auth.code')}
            />
          </Form.Item>
          <Button size="large" onClick={sendCode} disabled={wait > 0} data-testid="send-code">
            {wait > 0 ? t('auth.resendIn', { s: wait }) : t('auth.sendCode')}
          </Button>
        </Space.Compact>
      </Form.Item>
      {sent && <p>{t('auth.codeSent')}</p>}
      <Button type="primary" htmlType="submit" size="large" block loading={busy}>
        {t('auth.signIn')}
      </Button>
    </Form>
  );
}

function StaffSignIn() {
  const { t } = useTranslation();
  const [form] = Form.useForm();
  const done = useAfterSignIn();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const submit = async (v: { username: string; password: string }) => {
    setBusy(true);
    setError(undefined);
    try {
      done(await api<LoginResult>('/auth/login', { body: { ...v, tokenType: 'cookie' } }));
    } catch (e) {
      if (e instanceof ApiError) {
        const rest = showFieldErrors(form, e);
        setError([e.message, ...rest].join('；'));
      } else setError(String(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Form form={form} layout="vertical" onFinish={submit} requiredMark={false}>
      {error && (
        <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} role="alert" />
      )}
      <Form.Item name="username" label={t('auth.username')} rules={[{ required: true }]}>
        <Input autoComplete="username" size="large" autoCapitalize="none" />
      </Form.Item>
      <Form.Item name="password" label={t('auth.password')} rules={[{ required: true }]}>
        <Input.Password autoComplete="current-password" size="large" />
      </Form.Item>
      <Button type="primary" htmlType="submit" size="large" block loading={busy}>
        {t('auth.signIn')}
      </Button>
    </Form>
  );
}

export default function LoginPage() {
  const { t } = useTranslation();
  return (
    <div className="ym-narrow">
      <Card title={<h1 style={{ margin: 0, fontSize: '1.3em' }}>{t('auth.title')}</h1>}>
        <Tabs
          items={[
            { key: 'citizen', label: t('auth.citizenTab'), children: <CitizenSignIn /> },
            { key: 'staff', label: t('auth.staffTab'), children: <StaffSignIn /> },
          ]}
        />
      </Card>
    </div>
  );
}
