import { PlusOutlined } from '@ant-design/icons';
import type { User, UserPage } from '@yimen/core';
import { Alert, Button, Input, Popconfirm, Select, Space, Table, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { ApiError, api } from '../../../api/client.ts';
import { useApi } from '../../../api/hooks.ts';
import { usePrefs } from '../../../app/prefs.tsx';
import { ROLES } from '../core.ts';
import {
  ApiAlert,
  fmtTime,
  Pager,
  RegionTreeSelect,
  useAdmin,
  useCursorPages,
} from '../shared.tsx';
import {
  CreateUserDialog,
  EditUserDialog,
  ResetPasswordDialog,
  roleLabel,
} from './UserDialogs.tsx';

const PAGE = 20;

/**
 * Staff within the admin's jurisdiction: find them by name, role, place or state; create
 * accounts, change roles and places, reset a password, disable an account. The server keeps
 * every list inside the admin's region, and grants only the roles the admin may grant.
 */
export default function UsersPage() {
  const { t } = useTranslation();
  const { lang } = usePrefs();
  const admin = useAdmin();
  const [params, setParams] = useSearchParams();
  const pages = useCursorPages();
  const [typed, setTyped] = useState(params.get('q') ?? '');
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<User | null>(null);
  const [resetting, setResetting] = useState<User | null>(null);
  const [notice, setNotice] = useState<string>();
  const [error, setError] = useState<ApiError>();
  const filters = {
    q: params.get('q') ?? '',
    role: params.get('role') ?? '',
    within: params.get('within') ?? '',
    active: params.get('active') ?? '',
  };
  const qs = new URLSearchParams({ limit: String(PAGE) });
  for (const [k, v] of Object.entries(filters)) if (v) qs.set(k, v);
  if (pages.cursor) qs.set('cursor', pages.cursor);
  const list = useApi<UserPage>(`/users?${qs}`);
  const set = (k: string, v: string | undefined) => {
    const next = new URLSearchParams(params);
    if (v) next.set(k, v);
    else next.delete(k);
    setParams(next);
    pages.reset();
  };
  const done = (message: string) => {
    setNotice(message);
    setError(undefined);
    void list.refetch();
  };
  const setActive = async (u: User, active: boolean) => {
    try {
      await api(`/users/${u.id}`, { method: 'PATCH', body: { active } });
      done(
        t(active ? 'admin.users.reactivated' : 'admin.users.deactivated', { name: u.displayName }),
      );
    } catch (e) {
      setError(e instanceof ApiError ? e : undefined);
    }
  };

  return (
    <div>
      <h1 style={{ fontSize: '1.3em', marginTop: 0 }}>{t('admin.users.title')}</h1>
      <p style={{ color: '#555' }}>
        {t('admin.users.intro', { place: admin.me?.servicePoint?.name ?? '' })}
      </p>
      <Space wrap style={{ marginBottom: 12 }}>
        <Input.Search
          aria-label={t('admin.users.search')}
          placeholder={t('admin.users.search')}
          value={typed}
          onChange={(e) => setTyped(e.target.value)}
          onSearch={(v) => set('q', v.trim())}
          allowClear
          style={{ width: 220 }}
          data-testid="user-search"
        />
        <Select
          aria-label={t('admin.users.role')}
          placeholder={t('admin.users.role')}
          value={filters.role || undefined}
          allowClear
          onChange={(v) => set('role', v)}
          style={{ width: 200 }}
          options={ROLES.map((r) => ({ value: r, label: roleLabel(r, lang) }))}
        />
        <RegionTreeSelect
          root={admin.treeRoot}
          aria-label={t('admin.users.within')}
          placeholder={t('admin.users.within')}
          value={filters.within || undefined}
          onChange={(v) => set('within', v)}
        />
        <Select
          aria-label={t('admin.users.state')}
          placeholder={t('admin.users.state')}
          value={filters.active || undefined}
          allowClear
          onChange={(v) => set('active', v)}
          style={{ width: 130 }}
          options={[
            { value: 'true', label: t('admin.users.activeOnly') },
            { value: 'false', label: t('admin.users.disabledOnly') },
          ]}
        />
        <Button
          type="primary"
          icon={<PlusOutlined />}
          onClick={() => setCreating(true)}
          data-testid="create-user"
        >
          {t('admin.users.create')}
        </Button>
      </Space>
      {notice && (
        <Alert
          type="success"
          showIcon
          role="status"
          title={notice}
          closable
          style={{ marginBottom: 12 }}
        />
      )}
      <ApiAlert error={error ?? list.error} />
      <Table
        rowKey="id"
        size="middle"
        loading={list.isFetching}
        dataSource={list.data?.items ?? []}
        pagination={false}
        scroll={{ x: 860 }}
        data-testid="users-table"
        columns={[
          {
            title: t('admin.users.displayName'),
            key: 'name',
            render: (_, u) => (
              <div>
                <div>{u.displayName}</div>
                <code style={{ fontSize: 12, color: '#555' }} data-testid="user-username">
                  {u.username}
                </code>
              </div>
            ),
          },
          {
            title: t('admin.users.roles'),
            key: 'roles',
            render: (_, u) => (
              <Space size={[4, 4]} wrap>
                {u.roles.map((r) => (
                  <Tag key={r}>{roleLabel(r, lang)}</Tag>
                ))}
              </Space>
            ),
          },
          {
            title: t('admin.users.servicePoint'),
            key: 'sp',
            render: (_, u) => (
              <div>
                <div>{u.servicePoint.name}</div>
                <code style={{ fontSize: 12, color: '#555' }}>{u.servicePoint.code}</code>
              </div>
            ),
          },
          {
            title: t('admin.users.state'),
            key: 'state',
            render: (_, u) => (
              <Space size={4} wrap>
                {u.active ? (
                  <Tag color="green">{t('admin.users.activeTag')}</Tag>
                ) : (
                  <Tag>{t('admin.users.disabledTag')}</Tag>
                )}
                {u.lockedUntil && (
                  <Tag color="red">
                    {t('admin.users.locked', { until: fmtTime(u.lockedUntil) })}
                  </Tag>
                )}
              </Space>
            ),
          },
          {
            title: t('admin.common.actions'),
            key: 'actions',
            render: (_, u) => (
              <Space size={0} wrap>
                <Button
                  type="link"
                  size="small"
                  onClick={() => setEditing(u)}
                  data-testid={`edit-${u.username}`}
                >
                  {t('admin.users.editRoles')}
                </Button>
                <Button type="link" size="small" onClick={() => setResetting(u)}>
                  {t('admin.users.reset')}
                </Button>
                {u.active ? (
                  <Popconfirm
                    title={t('admin.users.deactivateConfirm', { name: u.displayName })}
                    okText={t('admin.users.deactivate')}
                    cancelText={t('admin.common.cancel')}
                    onConfirm={() => setActive(u, false)}
                  >
                    <Button type="link" size="small" danger>
                      {t('admin.users.deactivate')}
                    </Button>
                  </Popconfirm>
                ) : (
                  <Button type="link" size="small" onClick={() => setActive(u, true)}>
                    {t('admin.users.reactivate')}
                  </Button>
                )}
              </Space>
            ),
          },
        ]}
      />
      <Pager
        index={pages.index}
        nextCursor={list.data?.nextCursor}
        onPrev={pages.prev}
        onNext={pages.next}
      />
      <CreateUserDialog
        open={creating}
        onClose={() => setCreating(false)}
        onDone={(u) => {
          setCreating(false);
          done(t('admin.users.created', { name: u.displayName }));
        }}
      />
      <EditUserDialog
        user={editing}
        onClose={() => setEditing(null)}
        onDone={(u) => {
          setEditing(null);
          done(t('admin.users.saved', { name: u.displayName }));
        }}
      />
      <ResetPasswordDialog
        user={resetting}
        onClose={() => setResetting(null)}
        onDone={() => {
          const name = resetting?.displayName ?? '';
          setResetting(null);
          done(t('admin.users.resetDone', { name }));
        }}
      />
    </div>
  );
}
