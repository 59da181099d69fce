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
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { ApiError, api } from '../../api/client.ts';
import { showFieldErrors, useApi } from '../../api/hooks.ts';
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
          <Card
            size="small"
            title={t('hall.setup.groups')}
            style={{ marginBottom: 16 }}
            extra={
              manage && (
                <Button type="primary" onClick={() => setEditGroup('new')} data-testid="add-group">
                  {t('hall.setup.addGroup')}
                </Button>
              )
            }
          >
            <Table<QueueGroup>
              rowKey="id"
              size="small"
              pagination={false}
              scroll={{ x: true }}
              dataSource={p.groups}
              columns={[
                { title: t('hall.setup.prefix'), dataIndex: 'prefix' },
                { title: t('hall.setup.name'), dataIndex: 'name' },
                { title: t('hall.setup.nameEn'), dataIndex: 'nameEn' },
                { title: t('hall.setup.priorityEveryShort'), dataIndex: 'priorityEvery' },
                {
                  title: t('hall.setup.active'),
                  render: (_, g) => (
                    <Switch
                      checked={g.active}
                      disabled={!manage}
                      aria-label={`${t('hall.setup.active')} ${g.name}`}
                      onChange={(v) => void patch(`/hall/groups/${g.id}`, { active: v })}
                    />
                  ),
                },
                {
                  title: '',
                  render: (_, g) =>
                    manage && (
                      <Button size="small" onClick={() => setEditGroup(g)}>
                        {t('hall.setup.edit')}
                      </Button>
                    ),
                },
              ]}
            />
          </Card>
          <Card
            size="small"
            title={t('hall.setup.windows')}
            extra={
              manage && (
                <Button
                  type="primary"
                  onClick={() => setEditWindow('new')}
                  data-testid="add-window"
                >
                  {t('hall.setup.addWindow')}
                </Button>
              )
            }
          >
            <Table<QueueWindow>
              rowKey="id"
              size="small"
              pagination={false}
              scroll={{ x: true }}
              dataSource={p.windows}
              columns={[
                { title: t('hall.setup.window'), dataIndex: 'name' },
                {
                  title: t('hall.setup.windowGroups'),
                  render: (_, w) => w.groupIds.map((id) => <Tag key={id}>{names.get(id)}</Tag>),
                },
                { title: t('hall.setup.seated'), render: (_, w) => w.seated?.name ?? '—' },
                {
                  title: t('hall.setup.active'),
                  render: (_, w) => (
                    <Switch
                      checked={w.active}
                      disabled={!manage}
                      aria-label={`${t('hall.setup.active')} ${w.name}`}
                      onChange={(v) => void patch(`/hall/windows/${w.id}`, { active: v })}
                    />
                  ),
                },
                {
                  title: '',
                  render: (_, w) =>
                    manage && (
                      <Button size="small" onClick={() => setEditWindow(w)}>
                        {t('hall.setup.edit')}
                      </Button>
                    ),
                },
              ]}
            />
          </Card>
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

/** A form in a dialog that sends to the API and puts its refusals next to the fields. */
function useDialogSubmit(onDone: () => void) {
  const [form] = Form.useForm();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const send = async (path: string, method: 'POST' | 'PATCH', body: object) => {
    setBusy(true);
    setError(undefined);
    try {
      await api(path, { method, body });
      onDone();
    } catch (e) {
      if (e instanceof ApiError) {
        const rest = showFieldErrors(form, e);
        if (!e.fields.length || rest.length) setError([e.message, ...rest].join('；'));
      } else setError(String(e));
    } finally {
      setBusy(false);
    }
  };
  return { form, busy, error, send };
}

function GroupDialog(props: { code: string; group: QueueGroup | null; onClose: () => void }) {
  const { t } = useTranslation();
  const { form, busy, error, send } = useDialogSubmit(props.onClose);
  const g = props.group;
  return (
    <Modal
      open
      title={g ? `${t('hall.setup.edit')} ${g.name}` : t('hall.setup.addGroup')}
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
        initialValues={g ?? { priorityEvery: 2 }}
        onFinish={(v) =>
          void send(
            g ? `/hall/groups/${g.id}` : `/hall/service-points/${props.code}/groups`,
            g ? 'PATCH' : 'POST',
            {
              name: v.name,
              nameEn: v.nameEn ?? '',
              prefix: v.prefix,
              priorityEvery: v.priorityEvery,
            },
          )
        }
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
      </Form>
      {error && <Alert type="error" showIcon title={error} role="alert" />}
    </Modal>
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
  const { form, busy, error, send } = useDialogSubmit(props.onClose);
  const w = props.window;
  return (
    <Modal
      open
      title={w ? `${t('hall.setup.edit')} ${w.name}` : t('hall.setup.addWindow')}
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
        initialValues={w ?? { groupIds: [] }}
        onFinish={(v) =>
          void send(
            w ? `/hall/windows/${w.id}` : `/hall/service-points/${props.code}/windows`,
            w ? 'PATCH' : 'POST',
            { name: v.name, groupIds: v.groupIds },
          )
        }
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
      </Form>
      {error && <Alert type="error" showIcon title={error} role="alert" />}
    </Modal>
  );
}
