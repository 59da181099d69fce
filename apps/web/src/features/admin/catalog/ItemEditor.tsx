import { CheckCircleOutlined, CloudUploadOutlined, SaveOutlined } from '@ant-design/icons';
import type { CatalogCheckResult, ItemContent, ItemVersion } from '@yimen/core';
import { Alert, Button, Form, Popconfirm, Space, Tabs } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, api } from '../../../api/client.ts';
import { normalizeContent, type ProblemPlace } from './content-model.ts';
import { GuideTab, MaterialsTab, RoutingTab } from './EditorTabs.tsx';
import { FormFieldEditor } from './FormFieldEditor.tsx';
import { ProblemList } from './ProblemList.tsx';

type Tab = ProblemPlace['tab'];

interface Outcome {
  kind: 'saved' | 'checked';
  version: number;
}

/**
 * One version of an item in the editor: a draft to change, check and publish, or a frozen
 * version to read. Every problem the server finds is listed with its place; "go to" opens
 * the tab and the field it names.
 */
export function ItemEditor(props: {
  item: ItemVersion;
  previousVersion: number | null;
  readOnly: boolean;
  /** After a publish: the page reloads the item and says what happened. */
  onChanged: (notice: string) => void;
}) {
  const { t } = useTranslation();
  const { item, readOnly } = props;
  const [form] = Form.useForm();
  const [tab, setTab] = useState<Tab>('form');
  const [selected, setSelected] = useState(0);
  const [problems, setProblems] = useState<{
    title: string;
    list: CatalogCheckResult['problems'];
  }>();
  const [outcome, setOutcome] = useState<Outcome>();
  const [busy, setBusy] = useState<'save' | 'check' | 'publish'>();
  const [dirty, setDirty] = useState(false);
  const [focus, setFocus] = useState<ProblemPlace & { message: string }>();
  const [content, setContent] = useState<ItemContent>(item.content);
  const base = `/catalog/items/${encodeURIComponent(item.code)}`;

  // After "go to": once the tab and the field are on screen, mark the field and scroll to it.
  useEffect(() => {
    if (!focus) return;
    const id = setTimeout(() => {
      const name = focus.path as never;
      form.setFields([{ name, errors: [focus.message] }]);
      form.scrollToField(name, { block: 'center' });
    }, 50);
    return () => clearTimeout(id);
  }, [focus, form]);

  const current = (): ItemContent => {
    const c = normalizeContent(form.getFieldsValue(true) as Record<string, unknown>);
    setContent(c);
    return c;
  };
  const refused = (e: unknown, title?: string) => {
    if (e instanceof ApiError) {
      setProblems({
        title: title ?? e.message,
        list: e.fields.length ? e.fields : [{ field: '', message: e.message }],
      });
    } else setProblems({ title: String(e), list: [] });
  };
  const begin = (what: 'save' | 'check' | 'publish') => {
    setBusy(what);
    setProblems(undefined);
    setOutcome(undefined);
  };

  const save = async (): Promise<boolean> => {
    const body = { content: current() };
    try {
      await api(`${base}/versions/${item.version}`, { method: 'PUT', body });
      setDirty(false);
      return true;
    } catch (e) {
      refused(e, t('admin.editor.saveRefused'));
      return false;
    }
  };
  const onSave = async () => {
    begin('save');
    if (await save()) setOutcome({ kind: 'saved', version: item.version });
    setBusy(undefined);
  };
  const onCheck = async () => {
    begin('check');
    try {
      const r = await api<CatalogCheckResult>(`${base}/check`, {
        body: { content: current() },
      });
      if (r.ok) setOutcome({ kind: 'checked', version: item.version });
      else
        setProblems({
          title: t('admin.editor.checkFound', { count: r.problems.length }),
          list: r.problems,
        });
    } catch (e) {
      refused(
        e,
        t('admin.editor.checkFound', { count: e instanceof ApiError ? e.fields.length : 0 }),
      );
    }
    setBusy(undefined);
  };
  const onPublish = async () => {
    begin('publish');
    if (await save()) {
      try {
        await api(`${base}/versions/${item.version}/publish`, { method: 'POST', body: {} });
        props.onChanged(t('admin.editor.outcome.published', { version: item.version }));
      } catch (e) {
        refused(e, t('admin.editor.publishRefused'));
      }
    }
    setBusy(undefined);
  };
  const go = (place: ProblemPlace, message: string) => {
    if (place.tab !== 'other') setTab(place.tab);
    if (place.tab === 'form' && place.index !== undefined) setSelected(place.index);
    setFocus({ ...place, message });
  };

  const tabs = [
    { key: 'guide', label: t('admin.editor.tabs.guide'), children: <GuideTab form={form} /> },
    {
      key: 'materials',
      label: t('admin.editor.tabs.materials'),
      children: <MaterialsTab form={form} readOnly={readOnly} />,
    },
    { key: 'routing', label: t('admin.editor.tabs.routing'), children: <RoutingTab /> },
    {
      key: 'form',
      label: t('admin.editor.tabs.form'),
      children: (
        <FormFieldEditor
          form={form}
          selected={selected}
          onSelect={setSelected}
          readOnly={readOnly}
        />
      ),
    },
  ];

  return (
    <div data-testid="item-editor">
      {!readOnly && (
        <Space wrap style={{ marginBottom: 12 }}>
          <Button
            icon={<SaveOutlined />}
            onClick={onSave}
            loading={busy === 'save'}
            data-testid="save-draft"
          >
            {t('admin.editor.save')}
          </Button>
          <Button
            icon={<CheckCircleOutlined />}
            onClick={onCheck}
            loading={busy === 'check'}
            data-testid="run-check"
          >
            {t('admin.editor.check')}
          </Button>
          <Popconfirm
            title={t('admin.editor.publishConfirm', { version: item.version })}
            description={
              props.previousVersion
                ? t('admin.editor.publishReplaces', { version: props.previousVersion })
                : undefined
            }
            okText={t('admin.editor.publish')}
            cancelText={t('admin.common.cancel')}
            onConfirm={onPublish}
            okButtonProps={{ 'data-testid': 'confirm-publish' } as never}
          >
            <Button
              type="primary"
              icon={<CloudUploadOutlined />}
              loading={busy === 'publish'}
              data-testid="publish"
            >
              {t('admin.editor.publish')}
            </Button>
          </Popconfirm>
          {dirty && <span style={{ color: '#92400e' }}>{t('admin.editor.unsaved')}</span>}
        </Space>
      )}
      {outcome && (
        <Alert
          type="success"
          showIcon
          role="status"
          data-testid={`outcome-${outcome.kind}`}
          title={t(`admin.editor.outcome.${outcome.kind}`, { version: outcome.version })}
          style={{ marginBottom: 12 }}
          closable
        />
      )}
      {problems && (
        <ProblemList problems={problems.list} content={content} title={problems.title} onGo={go} />
      )}
      <Form
        key={`${item.code}:${item.version}`}
        form={form}
        layout="vertical"
        initialValues={item.content}
        disabled={readOnly}
        onValuesChange={() => setDirty(true)}
      >
        <Tabs activeKey={tab} onChange={(k) => setTab(k as Tab)} items={tabs} />
      </Form>
    </div>
  );
}
