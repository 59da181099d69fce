import type { User } from '@yimen/core';
import { Alert, Checkbox, Form, Input, Modal, Switch } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, api } from '../../../api/client.ts';
import { showFieldErrors } from '../../../api/hooks.ts';
import { usePrefs } from '../../../app/prefs.tsx';
import { GRANTABLE_ROLES, ROLE_LABELS, type Role } from '../core.ts';
import { RegionTreeSelect, useAdmin } from '../shared.tsx';

/** The roles this admin may hand out (GRANTABLE_ROLES), with their labels. */
export function useGrantable(): { value: Role; label: string }[] {
  const { lang } = usePrefs();
  const { me } = useAdmin();
  const mine = new Set<Role>();
  for (const r of me?.roles ?? [])
    for (const g of GRANTABLE_ROLES[r.role as Role] ?? []) mine.add(g);
  return [...mine].map((r) => ({
    value: r,
    label: lang === 'en' ? ROLE_LABELS[r].en : ROLE_LABELS[r].zh,
  }));
}

export function roleLabel(role: string, lang: string): string {
  const l = ROLE_LABELS[role as Role];
  return l ? (lang === 'en' ? l.en : l.zh) : role;
}

function useSubmit<T>(form: ReturnType<typeof Form.useForm>[0], onDone: (r: T) => void) {
  const [pending, setPending] = useState(false);
  const [messages, setMessages] = useState<string[]>([]);
  const run = async (path: string, method: string, body: unknown) => {
    setPending(true);
    setMessages([]);
    try {
      onDone(await api<T>(path, { method, body }));
    } catch (e) {
      if (e instanceof ApiError) setMessages([e.message, ...showFieldErrors(form, e)]);
      else setMessages([String(e)]);
    } finally {
      setPending(false);
    }
  };
  const alert =
    messages.length > 0 ? (
      <Alert
        type="error"
        showIcon
        role="alert"
        title={messages[0]}
        description={messages.slice(1).join('；') || undefined}
        style={{ marginBottom: 12 }}
      />
    ) : null;
  return { run, pending, alert };
}

export function CreateUserDialog(props: {
  open: boolean;
  onClose: () => void;
  onDone: (u: User) => void;
}) {
  const { t } = useTranslation();
  const admin = useAdmin();
  const grantable = useGrantable();
  const [form] = Form.useForm();
  const submit = useSubmit<User>(form, (u) => {
    form.resetFields();
    props.onDone(u);
  });
  return (
    <Modal
      open={props.open}
      title={t('admin.users.create')}
      okText={t('admin.users.createOk')}
      cancelText={t('admin.common.cancel')}
      onCancel={props.onClose}
      onOk={() => form.submit()}
      confirmLoading={submit.pending}
      okButtonProps={{ 'data-testid': 'create-user-ok' } as never}
      forceRender
    >
      {submit.alert}
      <Form
        form={form}
        layout="vertical"
        onFinish={(v) =>
          submit.run('/users', 'POST', {
            username: v.username,
            displayName: v.displayName,
            password: v.password,
            servicePointCode: v.servicePointCode,
            roles: v.roles,
            ...(v.department ? { department: v.department } : {}),
          })
        }
      >
        <Form.Item
          name="username"
          label={t('auth.username')}
          rules={[{ required: true, message: t('admin.editor.requiredValue') }]}
          extra={t('admin.users.usernameHelp')}
        >
          <Input autoComplete="off" spellCheck={false} />
        </Form.Item>
        <Form.Item
          name="displayName"
          label={t('admin.users.displayName')}
          rules={[{ required: true, message: t('admin.editor.requiredValue') }]}
        >
          <Input maxLength={50} />
        </Form.Item>
        <Form.Item
          name="password"
          label={t('admin.users.initialPassword')}
          rules={[{ required: true, message: t('admin.editor.requiredValue') }]}
          extra={t('admin.users.passwordHelp')}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Form.Item
          name="servicePointCode"
          label={t('admin.users.servicePoint')}
          rules={[{ required: true, message: t('admin.editor.requiredValue') }]}
        >
          <RegionTreeSelect root={admin.treeRoot} aria-label={t('admin.users.servicePoint')} />
        </Form.Item>
        <Form.Item
          name="roles"
          label={t('admin.users.roles')}
          rules={[{ required: true, message: t('admin.editor.requiredValue') }]}
        >
          <Checkbox.Group options={grantable} style={{ display: 'grid', gap: 4 }} />
        </Form.Item>
        <Form.Item name="department" label={t('admin.users.department')}>
          <Input maxLength={50} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

export function EditUserDialog(props: {
  user: User | null;
  onClose: () => void;
  onDone: (u: User) => void;
}) {
  const { t } = useTranslation();
  const admin = useAdmin();
  const grantable = useGrantable();
  const [form] = Form.useForm();
  const u = props.user;
  const submit = useSubmit<User>(form, props.onDone);
  return (
    <Modal
      open={!!u}
      title={u ? t('admin.users.edit', { name: u.displayName }) : ''}
      okText={t('admin.common.save')}
      cancelText={t('admin.common.cancel')}
      onCancel={props.onClose}
      onOk={() => form.submit()}
      confirmLoading={submit.pending}
      okButtonProps={{ 'data-testid': 'edit-user-ok' } as never}
      destroyOnHidden
    >
      {submit.alert}
      {u && (
        <Form
          key={u.id}
          form={form}
          layout="vertical"
          initialValues={{
            displayName: u.displayName,
            roles: u.roles,
            servicePointCode: u.servicePoint.code,
            active: u.active,
            department: u.department ?? '',
          }}
          onFinish={(v) =>
            submit.run(`/users/${u.id}`, 'PATCH', {
              displayName: v.displayName,
              roles: v.roles,
              active: v.active,
              ...(v.servicePointCode !== u.servicePoint.code
                ? { servicePointCode: v.servicePointCode }
                : {}),
              department: v.department ? v.department : null,
            })
          }
        >
          <Form.Item
            name="displayName"
            label={t('admin.users.displayName')}
            rules={[{ required: true, message: t('admin.editor.requiredValue') }]}
          >
            <Input maxLength={50} />
          </Form.Item>
          <Form.Item
            name="roles"
            label={t('admin.users.roles')}
            rules={[{ required: true, message: t('admin.editor.requiredValue') }]}
            extra={t('admin.users.rolesHelp')}
          >
            <Checkbox.Group options={grantable} style={{ display: 'grid', gap: 4 }} />
          </Form.Item>
          <Form.Item
            name="servicePointCode"
            label={t('admin.users.servicePoint')}
            extra={u.servicePoint.name}
          >
            <RegionTreeSelect
              root={admin.treeRoot}
              aria-label={t('admin.users.servicePoint')}
              allowClear={false}
            />
          </Form.Item>
          <Form.Item name="department" label={t('admin.users.department')}>
            <Input maxLength={50} />
          </Form.Item>
          <Form.Item name="active" label={t('admin.users.active')} valuePropName="checked">
            <Switch />
          </Form.Item>
        </Form>
      )}
    </Modal>
  );
}

export function ResetPasswordDialog(props: {
  user: User | null;
  onClose: () => void;
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm();
  const u = props.user;
  const submit = useSubmit<void>(form, () => {
    form.resetFields();
    props.onDone();
  });
  return (
    <Modal
      open={!!u}
      title={u ? t('admin.users.resetTitle', { name: u.displayName }) : ''}
      okText={t('admin.users.reset')}
      cancelText={t('admin.common.cancel')}
      onCancel={props.onClose}
      onOk={() => form.submit()}
      confirmLoading={submit.pending}
      forceRender
    >
      <p>{t('admin.users.resetNote')}</p>
      {submit.alert}
      <Form
        form={form}
        layout="vertical"
        onFinish={(v) =>
          u && submit.run(`/users/${u.id}/password`, 'POST', { newPassword: v.newPassword })
        }
      >
        <Form.Item
          name="newPassword"
          label={t('admin.users.newPassword')}
          rules={[{ required: true, message: t('admin.editor.requiredValue') }]}
          extra={t('admin.users.passwordHelp')}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
