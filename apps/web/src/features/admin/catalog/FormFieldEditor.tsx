import {
  ArrowDownOutlined,
  ArrowUpOutlined,
  DeleteOutlined,
  PlusOutlined,
} from '@ant-design/icons';
import type { FormField } from '@yimen/core';
import {
  Button,
  Card,
  Checkbox,
  Col,
  Empty,
  Form,
  type FormInstance,
  Input,
  InputNumber,
  List,
  Row,
  Select,
  Space,
  Tag,
} from 'antd';
import { useTranslation } from 'react-i18next';
import { usePrefs } from '../../../app/prefs.tsx';
import { FormFields } from '../../apply/FormFields.tsx';
import { FIELD_TYPES, type FieldDraft, newField, normalizeField } from './content-model.ts';
import { BiFields } from './EditorTabs.tsx';

const FIELDS = ['form', 'fields'];

/**
 * The form-field editor: the list of fields, the one being edited, and beside them the form
 * exactly as a villager will see it, drawn by the apply page's own component.
 */
export function FormFieldEditor(props: {
  form: FormInstance;
  selected: number;
  onSelect: (i: number) => void;
  readOnly: boolean;
}) {
  const { t } = useTranslation();
  const { lang } = usePrefs();
  const drafts = (Form.useWatch(FIELDS, { form: props.form, preserve: true }) ??
    []) as FieldDraft[];
  const seen = new Set<string>();
  const preview: FormField[] = drafts.map((d, i) => {
    const f = normalizeField(d ?? {});
    // While a key is empty or repeated, the preview still gives each field its own place.
    const key = f.key && !seen.has(f.key) ? f.key : `${f.key || 'field'}__${i}`;
    seen.add(key);
    // An unnamed field shows its key until it has a label.
    const zh = f.label.zh || f.key;
    return { ...f, key, label: { zh, en: f.label.en || zh } };
  });
  const selected = Math.min(props.selected, drafts.length - 1);

  const list = (
    <Form.List name={FIELDS}>
      {(rows, { add, remove, move }) => (
        <Card
          size="small"
          title={t('admin.editor.fields', { count: rows.length })}
          extra={
            !props.readOnly && (
              <Button
                size="small"
                icon={<PlusOutlined />}
                data-testid="add-field"
                onClick={() => {
                  add(newField(drafts.map((d) => d?.key ?? '')));
                  props.onSelect(rows.length);
                }}
              >
                {t('admin.editor.addField')}
              </Button>
            )
          }
        >
          {rows.length === 0 && <Empty description={t('admin.editor.noFields')} />}
          <List
            size="small"
            dataSource={rows}
            renderItem={(row, i) => {
              const d = drafts[i] ?? {};
              const label = (lang === 'en' ? d.label?.en : d.label?.zh) || d.key || '—';
              return (
                <List.Item
                  data-testid={`field-row-${i}`}
                  style={{
                    cursor: 'pointer',
                    background: i === selected ? '#e6f0ff' : undefined,
                    paddingInline: 8,
                  }}
                  onClick={() => props.onSelect(i)}
                  actions={
                    props.readOnly
                      ? []
                      : [
                          <Button
                            key="up"
                            size="small"
                            type="text"
                            icon={<ArrowUpOutlined />}
                            aria-label={t('admin.editor.moveUp')}
                            disabled={i === 0}
                            onClick={(e) => {
                              e.stopPropagation();
                              move(i, i - 1);
                              props.onSelect(i - 1);
                            }}
                          />,
                          <Button
                            key="down"
                            size="small"
                            type="text"
                            icon={<ArrowDownOutlined />}
                            aria-label={t('admin.editor.moveDown')}
                            disabled={i === rows.length - 1}
                            onClick={(e) => {
                              e.stopPropagation();
                              move(i, i + 1);
                              props.onSelect(i + 1);
                            }}
                          />,
                          <Button
                            key="del"
                            size="small"
                            type="text"
                            danger
                            icon={<DeleteOutlined />}
                            aria-label={`${t('admin.editor.remove')} ${label}`}
                            onClick={(e) => {
                              e.stopPropagation();
                              remove(row.name);
                              props.onSelect(Math.max(0, i - 1));
                            }}
                          />,
                        ]
                  }
                >
                  <Space size={4} wrap>
                    <span>{label}</span>
                    <Tag>{t(`admin.fieldType.${d.type ?? 'text'}`)}</Tag>
                    {d.required && <Tag color="red">{t('admin.editor.required')}</Tag>}
                  </Space>
                </List.Item>
              );
            }}
          />
        </Card>
      )}
    </Form.List>
  );

  return (
    <Row gutter={16}>
      <Col xs={24} lg={13}>
        {list}
        {selected >= 0 && drafts[selected] && (
          <FieldProperties
            key={selected}
            index={selected}
            type={(drafts[selected]?.type ?? 'text') as FormField['type']}
          />
        )}
      </Col>
      <Col xs={24} lg={11}>
        <Card
          size="small"
          title={t('admin.editor.preview')}
          data-testid="form-preview"
          style={{ position: 'sticky', top: 8 }}
        >
          <p style={{ marginTop: 0, color: '#666', fontSize: 12 }}>
            {t('admin.editor.previewNote')}
          </p>
          {/* Its own form store: typing in the preview changes nothing in the item. */}
          <Form component={false} layout="vertical" disabled={false}>
            <FormFields fields={preview} />
          </Form>
        </Card>
      </Col>
    </Row>
  );
}

/** The properties of one field: those of every field, then those of its type. */
function FieldProperties({ index, type }: { index: number; type: FormField['type'] }) {
  const { t } = useTranslation();
  const at = (...p: (string | number)[]) => [...FIELDS, index, ...p];
  return (
    <Card
      size="small"
      title={t('admin.editor.fieldN', { n: index + 1 })}
      style={{ marginTop: 12 }}
      data-testid="field-editor"
    >
      <Row gutter={12}>
        <Col xs={24} sm={12}>
          <Form.Item
            name={at('type')}
            label={t('admin.editor.fieldType')}
            rules={[{ required: true }]}
          >
            <Select
              options={FIELD_TYPES.map((v) => ({ value: v, label: t(`admin.fieldType.${v}`) }))}
            />
          </Form.Item>
        </Col>
        <Col xs={24} sm={12}>
          <Form.Item
            name={at('key')}
            label={t('admin.editor.fieldKey')}
            extra={t('admin.editor.fieldKeyHelp')}
            rules={[
              { required: true, message: t('admin.editor.requiredValue') },
              { pattern: /^[a-z][a-zA-Z0-9]{0,39}$/, message: t('admin.editor.fieldKeyHelp') },
            ]}
          >
            <Input spellCheck={false} />
          </Form.Item>
        </Col>
        <BiFields
          name={at('label')}
          labels={{ zh: t('admin.editor.labelZh'), en: t('admin.editor.labelEn') }}
          maxLength={100}
          required
        />
        <BiFields
          name={at('help')}
          labels={{ zh: t('admin.editor.helpZh'), en: t('admin.editor.helpEn') }}
          maxLength={100}
        />
        <Col span={24}>
          <Form.Item name={at('required')} valuePropName="checked" style={{ marginBottom: 8 }}>
            <Checkbox data-testid="field-required">{t('admin.editor.requiredField')}</Checkbox>
          </Form.Item>
        </Col>
        {(type === 'text' || type === 'textarea') && (
          <Col xs={24} sm={12}>
            <Form.Item name={at('maxLength')} label={t('admin.editor.maxLength')}>
              <InputNumber min={1} max={type === 'text' ? 2000 : 5000} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
        )}
        {type === 'text' && (
          <Col xs={24} sm={12}>
            <Form.Item
              name={at('pattern')}
              label={t('admin.editor.pattern')}
              extra={t('admin.editor.patternHelp')}
            >
              <Input spellCheck={false} />
            </Form.Item>
          </Col>
        )}
        {type === 'number' && (
          <>
            <Col xs={12} sm={8}>
              <Form.Item name={at('min')} label={t('admin.editor.min')}>
                <InputNumber style={{ width: '100%' }} />
              </Form.Item>
            </Col>
            <Col xs={12} sm={8}>
              <Form.Item name={at('max')} label={t('admin.editor.max')}>
                <InputNumber style={{ width: '100%' }} />
              </Form.Item>
            </Col>
            <Col xs={24} sm={8}>
              <Form.Item name={at('integer')} valuePropName="checked" label=" ">
                <Checkbox>{t('admin.editor.integer')}</Checkbox>
              </Form.Item>
            </Col>
          </>
        )}
        {type === 'date' && (
          <Col span={24}>
            <Form.Item name={at('notAfterToday')} valuePropName="checked">
              <Checkbox>{t('admin.editor.notAfterToday')}</Checkbox>
            </Form.Item>
          </Col>
        )}
        {type === 'region' && (
          <Col xs={24} sm={12}>
            <Form.Item name={at('level')} label={t('admin.editor.regionLevel')}>
              <Select
                options={['county', 'township', 'village'].map((v) => ({
                  value: v,
                  label: t(`admin.level.${v}`),
                }))}
              />
            </Form.Item>
          </Col>
        )}
        {type === 'select' && <OptionsEditor at={at} />}
      </Row>
    </Card>
  );
}

function OptionsEditor({ at }: { at: (...p: (string | number)[]) => (string | number)[] }) {
  const { t } = useTranslation();
  return (
    <Col span={24}>
      <Form.Item name={at('multiple')} valuePropName="checked">
        <Checkbox>{t('admin.editor.multiple')}</Checkbox>
      </Form.Item>
      <Form.List name={at('options')}>
        {(rows, { add, remove }) => (
          <div>
            <div style={{ fontWeight: 500, marginBottom: 8 }}>{t('admin.editor.options')}</div>
            {rows.map((row, i) => (
              <Space key={row.key} align="start" wrap style={{ display: 'flex', marginBottom: 4 }}>
                <Form.Item
                  name={[row.name, 'value']}
                  rules={[{ required: true, message: t('admin.editor.requiredValue') }]}
                  style={{ marginBottom: 4 }}
                >
                  <Input
                    placeholder={t('admin.editor.optionValue')}
                    aria-label={`${t('admin.editor.optionValue')} ${i + 1}`}
                    style={{ width: 120 }}
                  />
                </Form.Item>
                <Form.Item
                  name={[row.name, 'label', 'zh']}
                  rules={[{ required: true, message: t('admin.editor.requiredValue') }]}
                  style={{ marginBottom: 4 }}
                >
                  <Input
                    placeholder={t('admin.editor.labelZh')}
                    aria-label={`${t('admin.editor.optionLabelZh')} ${i + 1}`}
                    style={{ width: 140 }}
                  />
                </Form.Item>
                <Form.Item
                  name={[row.name, 'label', 'en']}
                  rules={[{ required: true, message: t('admin.editor.requiredValue') }]}
                  style={{ marginBottom: 4 }}
                >
                  <Input
                    placeholder={t('admin.editor.labelEn')}
                    aria-label={`${t('admin.editor.optionLabelEn')} ${i + 1}`}
                    style={{ width: 140 }}
                  />
                </Form.Item>
                <Button
                  type="text"
                  danger
                  icon={<DeleteOutlined />}
                  aria-label={`${t('admin.editor.remove')} ${i + 1}`}
                  onClick={() => remove(row.name)}
                />
              </Space>
            ))}
            <Button
              size="small"
              icon={<PlusOutlined />}
              onClick={() => add({ value: '', label: { zh: '', en: '' } })}
            >
              {t('admin.editor.addOption')}
            </Button>
          </div>
        )}
      </Form.List>
    </Col>
  );
}
