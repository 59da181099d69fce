import type { User } from '@yimen/core';
import {
  Alert,
  Checkbox,
  Form,
  type FormInstance,
  type FormProps,
  Input,
  Modal,
  Switch,
} from 'antd';
import { type ReactNode, useState } from 'react';
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

/** The form's values, as antd hands them over. */
type Values = Parameters<NonNullable<FormProps['onFinish']>>[0];

/**
 * One of the account dialogs: its form, sent as the request `send` makes of the values; a
 * refusal is shown above the form and its fields beside theirs.
 */
function UserDialog<T>(props: {
  /**
   * Names the form, so its fields' ids differ from the other dialogs': the create and reset
   * dialogs stay in the page while closed, and a label would point at their hidden inputs.
   */
  name: string;
  open: boolean;
  title: string;
  okText: string;
  okTestId?: string;
  form: FormInstance;
  initialValues?: object | null;
  /** null: nothing to send (no user). */
  send: (v: Values) => { path: string; method: string; body: unknown } | null;
  onClose: () => void;
  onDone: (r: T) => void;
  /** Said above the form. */
  intro?: ReactNode;
  /** Edit dialogs start from their user each time; the others keep their empty form. */
  perUser?: boolean;
  children: ReactNode;
}) {
  const { t } = useTranslation();
  const [pending, setPending] = useState(false);
  const [messages, setMessages] = useState<string[]>([]);
  const submit = async (v: Values) => {
    const req = props.send(v);
    if (!req) return;
    setPending(true);
    setMessages([]);
    try {
      props.onDone(await api<T>(req.path, { method: req.method, body: req.body }));
    } catch (e) {
      if (e instanceof ApiError) setMessages([e.message, ...showFieldErrors(props.form, e)]);
      else setMessages([String(e)]);
    } finally {
      setPending(false);
    }
  };
  return (
    <Modal
      open={props.open}
      title={props.title}
      okText={props.okText}
      cancelText={t('admin.common.cancel')}
      onCancel={props.onClose}
      onOk={() => props.form.submit()}
      confirmLoading={pending}
      okButtonProps={props.okTestId ? ({ 'data-testid': props.okTestId } as never) : undefined}
      forceRender={!props.perUser}
      destroyOnHidden={props.perUser}
    >
      {props.intro}
      {messages.length > 0 && (
        <Alert
          type="error"
          showIcon
          role="alert"
          title={messages[0]}
          description={messages.slice(1).join('；') || undefined}
          style={{ marginBottom: 12 }}
        />
      )}
      <Form
        name={props.name}
        form={props.form}
        layout="vertical"
        initialValues={props.initialValues ?? undefined}
        onFinish={(v) => void submit(v)}
      >
        {props.children}
      </Form>
    </Modal>
  );
}

function useRequired() {
  const { t } = useTranslation();
  return [{ required: true, message: t('admin.editor.requiredValue') }];
}

function PasswordField({ name, label }: { name: string; label: string }) {
  const { t } = useTranslation();
  return (
    <Form.Item
      name={name}
      label={label}
      rules={useRequired()}
      extra={t('admin.users.passwordHelp')}
    >
      <Input.Password autoComplete="new-password" />
    </Form.Item>
  );
}

/** The roles this admin may grant, as checkboxes. */
function RolesField({ extra }: { extra?: string }) {
  const { t } = useTranslation();
  return (
    <Form.Item name="roles" label={t('admin.users.roles')} rules={useRequired()} extra={extra}>
      <Checkbox.Group options={useGrantable()} style={{ display: 'grid', gap: 4 }} />
    </Form.Item>
  );
}

/** The user's service point, picked from the region tree under the admin's own region. */
function ServicePointField(props: { required?: boolean; extra?: string }) {
  const { t } = useTranslation();
  const admin = useAdmin();
  const required = useRequired();
  return (
    <Form.Item
      name="servicePointCode"
      label={t('admin.users.servicePoint')}
      rules={props.required ? required : undefined}
      extra={props.extra}
    >
      <RegionTreeSelect
        root={admin.treeRoot}
        aria-label={t('admin.users.servicePoint')}
        allowClear={props.required}
      />
    </Form.Item>
  );
}

export function CreateUserDialog(props: {
  open: boolean;
  onClose: () => void;
  onDone: (u: User) => void;
}) {
  const { t } = useTranslation();
  const required = useRequired();
  const [form] = Form.useForm();
  return (
    <UserDialog<User>
      name="create-user"
      open={props.open}
      title={t('admin.users.create')}
      okText={t('admin.users.createOk')}
      okTestId="create-user-ok"
      form={form}
      send={(v) => ({
        path: '/users',
        method: 'POST',
        body: {
          username: v.username,
          displayName: v.displayName,
          password: v.password,
          servicePointCode: v.servicePointCode,
          roles: v.roles,
          ...(v.department ? { department: v.department } : {}),
        },
      })}
      onClose={props.onClose}
      onDone={(u) => {
        form.resetFields();
        props.onDone(u);
      }}
    >
      <Form.Item
        name="username"
        label={t('auth.username')}
        rules={required}
        extra={t('admin.users.usernameHelp')}
      >
        <Input autoComplete="off" spellCheck={false} />
      </Form.Item>
      <Form.Item name="displayName" label={t('admin.users.displayName')} rules={required}>
        <Input maxLength={50} />
      </Form.Item>
      <PasswordField name="password" label={t('admin.users.initialPassword')} />
      <ServicePointField required />
      <RolesField />
      <Form.Item name="department" label={t('admin.users.department')}>
        <Input maxLength={50} />
      </Form.Item>
    </UserDialog>
  );
}

export function EditUserDialog(props: {
  user: User | null;
  onClose: () => void;
  onDone: (u: User) => void;
}) {
  const { t } = useTranslation();
  const required = useRequired();
  const [form] = Form.useForm();
  const u = props.user;
  return (
    <UserDialog<User>
      name="edit-user"
      open={!!u}
      title={u ? t('admin.users.edit', { name: u.displayName }) : ''}
      okText={t('admin.common.save')}
      okTestId="edit-user-ok"
      form={form}
      initialValues={
        u && {
          displayName: u.displayName,
          roles: u.roles,
          servicePointCode: u.servicePoint.code,
          active: u.active,
          department: u.department ?? '',
        }
      }
      send={(v) =>
        u && {
          path: `/users/${u.id}`,
          method: 'PATCH',
          body: {
            displayName: v.displayName,
            roles: v.roles,
            active: v.active,
            ...(v.servicePointCode !== u.servicePoint.code
              ? { servicePointCode: v.servicePointCode }
              : {}),
            department: v.department ? v.department : null,
          },
        }
      }
      onClose={props.onClose}
      onDone={props.onDone}
      perUser
    >
      <Form.Item name="displayName" label={t('admin.users.displayName')} rules={required}>
        <Input maxLength={50} />
      </Form.Item>
      <RolesField extra={t('admin.users.rolesHelp')} />
      <ServicePointField extra={u?.servicePoint.name} />
      <Form.Item name="department" label={t('admin.users.department')}>
        <Input maxLength={50} />
      </Form.Item>
      <Form.Item name="active" label={t('admin.users.active')} valuePropName="checked">
        <Switch />
      </Form.Item>
    </UserDialog>
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
  return (
    <UserDialog<void>
      name="reset-password"
      open={!!u}
      title={u ? t('admin.users.resetTitle', { name: u.displayName }) : ''}
      okText={t('admin.users.reset')}
      form={form}
      send={(v) =>
        u && {
          path: `/users/${u.id}/password`,
          method: 'POST',
          body: { newPassword: v.newPassword },
        }
      }
      onClose={props.onClose}
      onDone={() => {
        form.resetFields();
        props.onDone();
      }}
      intro={<p>{t('admin.users.resetNote')}</p>}
    >
      <PasswordField name="newPassword" label={t('admin.users.newPassword')} />
    </UserDialog>
  );
}
