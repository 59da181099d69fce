import type { HallServicePoint, QueueGroup, QueueWindow, ServicePointPage } from '@yimen/core';
import {
  Alert,
  Button,
  Card,
  Form,
  Input,
  InputNumber,
  Modal,
  Select,
  Space,
  Switch,
  Table,
  Tag,
} from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { ApiError, api } from '../../api/client.ts';
import { useApi, useFormSubmit } from '../../api/hooks.ts';
import { useAuth } from '../../app/auth.tsx';
import { Loading, useGroupName } from './parts.tsx';

/** 分组与窗口: a hall's service groups and windows, kept by its administrators. */
export default function SetupPage() {
  const { t } = useTranslation();
  const { me } = useAuth();
  const groupName = useGroupName();
  const [params, setParams] = useSearchParams();
  const code = params.get('servicePoint') ?? me?.servicePoint?.code ?? '';
  const [typed, setTyped] = useState('');
  const region = me?.servicePoint?.regionCode;
  const townships = useApi<ServicePointPage>(
    region && region.length < 9
      ? `/service-points?within=${region}&kind=township_centre&limit=200`
      : null,
  );
  const point = useApi<HallServicePoint>(
    code ? `/hall/service-points/${encodeURIComponent(code)}` : null,
  );
  const [error, setError] = useState<string>();
  const [editGroup, setEditGroup] = useState<QueueGroup | 'new'>();
  const [editWindow, setEditWindow] = useState<QueueWindow | 'new'>();

  const choices = [
    ...(me?.servicePoint ? [{ value: me.servicePoint.code, label: me.servicePoint.name }] : []),
    ...(townships.data?.items.map((p) => ({ value: p.code, label: p.name })) ?? []),
  ];
  const patch = async (url: string, body: object) => {
    setError(undefined);
    try {
      await api(url, { method: 'PATCH', body });
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e));
    }
    void point.refetch();
  };
  const p = point.data;
  const manage = !!p?.can.manage;
  const names = new Map(p?.groups.map((g) => [g.id, `${g.prefix} ${groupName(g)}`]) ?? []);
  return (
    <div>
      <h1 style={{ fontSize: '1.3em' }}>
        {t('hall.setup.title')}
        {p ? ` · ${p.servicePoint.name}` : ''}
      </h1>
      <Space wrap style={{ marginBottom: 16 }}>
        <Select
          style={{ minWidth: 260 }}
          showSearch={{ optionFilterProp: 'label' }}
          aria-label={t('hall.setup.servicePoint')}
          value={choices.some((c) => c.value === code) ? code : undefined}
          placeholder={t('hall.setup.servicePoint')}
          options={choices}
          onChange={(v: string) => setParams({ servicePoint: v })}
        />
        <Space.Compact>
          <Input
            aria-label={t('hall.setup.code')}
            placeholder={t('hall.setup.code')}
            value={typed}
            onChange={(e) => setTyped(e.target.value.trim())}
            onPressEnter={() => typed && setParams({ servicePoint: typed })}
          />
          <Button onClick={() => typed && setParams({ servicePoint: typed })}>
            {t('hall.setup.open')}
          </Button>
        </Space.Compact>
      </Space>
      {point.error && <Alert type="error" showIcon title={point.error.message} role="alert" />}
      {error && (
        <Alert type="error" showIcon title={error} role="alert" style={{ marginBottom: 12 }} />
      )}
      {point.isLoading && <Loading />}
      {p && !manage && (
        <Alert type="info" showIcon title={t('hall.setup.readOnly')} style={{ marginBottom: 12 }} />
      )}
      {p && (
        <>
          <SetupTable<QueueGroup>
            title={t('hall.setup.groups')}
            add={{ label: t('hall.setup.addGroup'), testId: 'add-group' }}
            manage={manage}
            rows={p.groups}
            columns={[
              { title: t('hall.setup.prefix'), dataIndex: 'prefix' },
              { title: t('hall.setup.name'), dataIndex: 'name' },
              { title: t('hall.setup.nameEn'), dataIndex: 'nameEn' },
              { title: t('hall.setup.priorityEveryShort'), dataIndex: 'priorityEvery' },
            ]}
            onActive={(g, active) => void patch(`/hall/groups/${g.id}`, { active })}
            onEdit={setEditGroup}
          />
          <SetupTable<QueueWindow>
            title={t('hall.setup.windows')}
            add={{ label: t('hall.setup.addWindow'), testId: 'add-window' }}
            manage={manage}
            rows={p.windows}
            columns={[
              { title: t('hall.setup.window'), dataIndex: 'name' },
              {
                title: t('hall.setup.windowGroups'),
                render: (_, w) => w.groupIds.map((id) => <Tag key={id}>{names.get(id)}</Tag>),
              },
              { title: t('hall.setup.seated'), render: (_, w) => w.seated?.name ?? '—' },
            ]}
            onActive={(w, active) => void patch(`/hall/windows/${w.id}`, { active })}
            onEdit={setEditWindow}
          />
        </>
      )}
      {p && editGroup && (
        <GroupDialog
          code={p.servicePoint.code}
          group={editGroup === 'new' ? null : editGroup}
          onClose={() => {
            setEditGroup(undefined);
            void point.refetch();
          }}
        />
      )}
      {p && editWindow && (
        <WindowDialog
          code={p.servicePoint.code}
          groups={p.groups}
          window={editWindow === 'new' ? null : editWindow}
          onClose={() => {
            setEditWindow(undefined);
            void point.refetch();
          }}
        />
      )}
    </div>
  );
}

/**
 * The groups or the windows of the hall: a row each, switched on and off in place, edited in
 * a dialog; "add" and the switches for those who manage the hall only.
 */
function SetupTable<T extends { id: string; name: string; active: boolean }>(props: {
  title: string;
  add: { label: string; testId: string };
  manage: boolean;
  rows: T[];
  columns: ColumnsType<T>;
  onActive: (row: T, active: boolean) => void;
  onEdit: (row: T | 'new') => void;
}) {
  const { t } = useTranslation();
  const { manage } = props;
  return (
    <Card
      size="small"
      title={props.title}
      style={{ marginBottom: 16 }}
      extra={
        manage && (
          <Button type="primary" onClick={() => props.onEdit('new')} data-testid={props.add.testId}>
            {props.add.label}
          </Button>
        )
      }
    >
      <Table<T>
        rowKey="id"
        size="small"
        pagination={false}
        scroll={{ x: true }}
        dataSource={props.rows}
        columns={[
          ...props.columns,
          {
            title: t('hall.setup.active'),
            render: (_, row) => (
              <Switch
                checked={row.active}
                disabled={!manage}
                aria-label={`${t('hall.setup.active')} ${row.name}`}
                onChange={(v) => props.onActive(row, v)}
              />
            ),
          },
          {
            title: '',
            render: (_, row) =>
              manage && (
                <Button size="small" onClick={() => props.onEdit(row)}>
                  {t('hall.setup.edit')}
                </Button>
              ),
          },
        ]}
      />
    </Card>
  );
}

/**
 * A group or a window in a dialog: a new one is created at the point, an existing one
 * changed in place; the server's refusals are put next to the fields they name.
 */
function SetupDialog<T extends { id: string; name: string }>(props: {
  /** null: a new one. */
  row: T | null;
  addTitle: string;
  /** Where a new one is created, and where an existing one is: `/hall/groups`. */
  paths: { create: string; each: string };
  initialValues: object;
  body: (values: Record<string, unknown>) => object;
  onClose: () => void;
  children: ReactNode;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm();
  const { run, busy, error } = useFormSubmit(form);
  const { row } = props;
  const send = async (values: Record<string, unknown>) => {
    const path = row ? `${props.paths.each}/${row.id}` : props.paths.create;
    const method = row ? 'PATCH' : 'POST';
    if (await run(() => api(path, { method, body: props.body(values) }))) props.onClose();
  };
  return (
    <Modal
      open
      title={row ? `${t('hall.setup.edit')} ${row.name}` : props.addTitle}
      onCancel={props.onClose}
      okText={t('hall.setup.save')}
      okButtonProps={{ loading: busy }}
      onOk={() => form.submit()}
      destroyOnHidden
    >
      <Form
        form={form}
        layout="vertical"
        requiredMark={false}
        initialValues={row ?? props.initialValues}
        onFinish={(v) => void send(v)}
      >
        {props.children}
      </Form>
      {error && <Alert type="error" showIcon title={error} role="alert" />}
    </Modal>
  );
}

function GroupDialog(props: { code: string; group: QueueGroup | null; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <SetupDialog
      row={props.group}
      addTitle={t('hall.setup.addGroup')}
      paths={{ create: `/hall/service-points/${props.code}/groups`, each: '/hall/groups' }}
      initialValues={{ priorityEvery: 2 }}
      body={(v) => ({
        name: v.name,
        nameEn: v.nameEn ?? '',
        prefix: v.prefix,
        priorityEvery: v.priorityEvery,
      })}
      onClose={props.onClose}
    >
      <Form.Item name="name" label={t('hall.setup.name')} rules={[{ required: true }]}>
        <Input maxLength={20} />
      </Form.Item>
      <Form.Item name="nameEn" label={t('hall.setup.nameEn')}>
        <Input maxLength={40} />
      </Form.Item>
      <Form.Item
        name="prefix"
        label={t('hall.setup.prefix')}
        extra={t('hall.setup.prefixHint')}
        normalize={(v: string) => v?.toUpperCase()}
        rules={[{ required: true, pattern: /^[A-Z]$/, message: t('hall.setup.prefixHint') }]}
      >
        <Input maxLength={1} style={{ width: 80 }} />
      </Form.Item>
      <Form.Item
        name="priorityEvery"
        label={t('hall.setup.priorityEvery')}
        extra={t('hall.setup.priorityHint')}
      >
        <InputNumber min={1} max={20} />
      </Form.Item>
    </SetupDialog>
  );
}

function WindowDialog(props: {
  code: string;
  groups: QueueGroup[];
  window: QueueWindow | null;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const groupName = useGroupName();
  return (
    <SetupDialog
      row={props.window}
      addTitle={t('hall.setup.addWindow')}
      paths={{ create: `/hall/service-points/${props.code}/windows`, each: '/hall/windows' }}
      initialValues={{ groupIds: [] }}
      body={(v) => ({ name: v.name, groupIds: v.groupIds })}
      onClose={props.onClose}
    >
      <Form.Item name="name" label={t('hall.setup.window')} rules={[{ required: true }]}>
        <Input maxLength={20} placeholder="5号窗口" />
      </Form.Item>
      <Form.Item
        name="groupIds"
        label={t('hall.setup.windowGroups')}
        extra={t('hall.setup.windowGroupsHint')}
        rules={[{ required: true, type: 'array', min: 1 }]}
      >
        <Select
          mode="multiple"
          options={props.groups
            .filter((g) => g.active)
            .map((g) => ({ value: g.id, label: `${g.prefix} ${groupName(g)}` }))}
        />
      </Form.Item>
    </SetupDialog>
  );
}
