import {
  ArrowDownOutlined,
  ArrowUpOutlined,
  DeleteOutlined,
  PlusOutlined,
} from '@ant-design/icons';
import {
  Button,
  Card,
  Checkbox,
  Col,
  Form,
  type FormInstance,
  Input,
  InputNumber,
  Radio,
  Row,
  Select,
  Space,
  Switch,
} from 'antd';
import { useTranslation } from 'react-i18next';
import { usePrefs } from '../../../app/prefs.tsx';
import {
  APPLICANT_TYPES,
  CHANNELS,
  CROSS_REGION_SCOPES,
  DELIVERY_METHODS,
  DEPARTMENTS,
  ITEM_TYPES,
  LEVEL_LABELS,
  LEVELS,
  optionsOf,
  RESULT_TYPES,
  THEMES,
} from '../core.ts';

const half = { xs: 24, sm: 12 };
const third = { xs: 24, sm: 8 };

function useRequired() {
  const { t } = useTranslation();
  return [{ required: true, message: t('admin.editor.requiredValue') }];
}

/**
 * A text in both languages, Chinese and English side by side. Each is labelled "<label>（中文）"
 * unless `labels` names them.
 */
export function BiFields(props: {
  name: (string | number)[];
  label?: string;
  labels?: { zh: string; en: string };
  required?: boolean;
  area?: boolean;
  maxLength?: number;
}) {
  const { t } = useTranslation();
  const rules = useRequired();
  const Control = props.area ? Input.TextArea : Input;
  return (
    <>
      {(['zh', 'en'] as const).map((lang) => (
        <Col {...half} key={lang}>
          <Form.Item
            name={[...props.name, lang]}
            label={props.labels?.[lang] ?? `${props.label}（${t(`admin.editor.${lang}`)}）`}
            rules={props.required ? rules : []}
          >
            <Control maxLength={props.maxLength ?? 500} />
          </Form.Item>
        </Col>
      ))}
    </>
  );
}

/** 办事指南: names, kind, department, who applies, channels, visits, fee, result. */
export function GuideTab({ form }: { form: FormInstance }) {
  const { t } = useTranslation();
  const { lang } = usePrefs();
  const rules = useRequired();
  const feeKind = Form.useWatch(['fee', 'kind'], form);
  const fieldKeys = (
    (Form.useWatch(['form', 'fields'], { form, preserve: true }) ?? []) as {
      key?: string;
    }[]
  )
    .map((f) => f?.key)
    .filter((k): k is string => !!k);
  return (
    <Row gutter={12}>
      <BiFields name={['name']} label={t('admin.editor.name')} required />
      <Col {...third}>
        <Form.Item name="shortName" label={t('admin.editor.shortName')}>
          <Input maxLength={30} />
        </Form.Item>
      </Col>
      <Col {...third}>
        <Form.Item name="basicCode" label={t('admin.editor.basicCode')} rules={rules}>
          <Input maxLength={60} />
        </Form.Item>
      </Col>
      <Col {...third}>
        <Form.Item name="type" label={t('admin.editor.itemType')} rules={rules}>
          <Select options={optionsOf(ITEM_TYPES, lang)} />
        </Form.Item>
      </Col>
      <BiFields name={['summary']} label={t('admin.editor.summary')} area />
      <Col {...third}>
        <Form.Item name="department" label={t('admin.catalog.department')} rules={rules}>
          <Select
            options={optionsOf(DEPARTMENTS, lang)}
            showSearch={{ optionFilterProp: 'label' }}
          />
        </Form.Item>
      </Col>
      <Col {...third}>
        <Form.Item name="applicantType" label={t('admin.editor.applicantType')} rules={rules}>
          <Select options={optionsOf(APPLICANT_TYPES, lang)} />
        </Form.Item>
      </Col>
      <Col {...third}>
        <Form.Item name="visitsRequired" label={t('admin.editor.visitsRequired')} rules={rules}>
          <InputNumber min={0} max={5} style={{ width: '100%' }} />
        </Form.Item>
      </Col>
      <Col {...half}>
        <Form.Item name="themes" label={t('admin.editor.themes')}>
          <Select mode="multiple" maxCount={6} options={optionsOf(THEMES, lang)} />
        </Form.Item>
      </Col>
      <Col {...half}>
        <Form.Item name="channels" label={t('admin.editor.channels')} rules={rules}>
          <Checkbox.Group options={optionsOf(CHANNELS, lang)} />
        </Form.Item>
      </Col>
      <Col {...third}>
        <Form.Item name={['fee', 'kind']} label={t('admin.editor.fee')}>
          <Radio.Group
            options={[
              { value: 'none', label: t('admin.editor.feeNone') },
              { value: 'fixed', label: t('admin.editor.feeFixed') },
            ]}
          />
        </Form.Item>
      </Col>
      {feeKind === 'fixed' && (
        <>
          <Col {...third}>
            <Form.Item
              name={['fee', 'amountYuan']}
              label={t('admin.editor.feeAmount')}
              rules={rules}
            >
              <InputNumber min={0} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col {...third}>
            <Form.Item name={['fee', 'basis']} label={t('admin.editor.feeBasis')} rules={rules}>
              <Input maxLength={500} />
            </Form.Item>
          </Col>
        </>
      )}
      <Col span={24}>
        <Form.Item name="resultType" label={t('admin.editor.resultType')} rules={rules}>
          <Radio.Group options={optionsOf(RESULT_TYPES, lang)} />
        </Form.Item>
      </Col>
      <Col span={24}>
        <Card
          size="small"
          title={t('admin.editor.certificateTemplate')}
          style={{ marginBottom: 16 }}
        >
          <Row gutter={12}>
            <BiFields name={['certificateTemplate', 'title']} label={t('admin.editor.certTitle')} />
            <Col xs={24} sm={16}>
              <Form.Item
                name={['certificateTemplate', 'fields']}
                label={t('admin.editor.certFields')}
              >
                <Select mode="multiple" options={fieldKeys.map((k) => ({ value: k, label: k }))} />
              </Form.Item>
            </Col>
            <Col xs={24} sm={8}>
              <Form.Item
                name={['certificateTemplate', 'validYears']}
                label={t('admin.editor.validYears')}
              >
                <InputNumber min={0} max={100} style={{ width: '100%' }} />
              </Form.Item>
            </Col>
          </Row>
        </Card>
      </Col>
      <Col span={24}>
        <Card size="small" title={t('admin.editor.acceptConditions')} style={{ marginBottom: 16 }}>
          <Form.List name="acceptConditions">
            {(rows, { add, remove }) => (
              <>
                {rows.map((row, i) => (
                  <Row gutter={8} key={row.key} align="middle">
                    <BiFields
                      name={[row.name]}
                      label={t('admin.editor.conditionN', { n: i + 1 })}
                      required
                    />
                    <Col span={24} style={{ textAlign: 'right', marginTop: -12, marginBottom: 8 }}>
                      <Button size="small" danger type="link" onClick={() => remove(row.name)}>
                        {t('admin.editor.remove')}
                      </Button>
                    </Col>
                  </Row>
                ))}
                <Button
                  size="small"
                  icon={<PlusOutlined />}
                  onClick={() => add({ zh: '', en: '' })}
                >
                  {t('admin.editor.addCondition')}
                </Button>
              </>
            )}
          </Form.List>
        </Card>
      </Col>
      <Col span={24}>
        <Card size="small" title={t('admin.editor.legalBasis')} style={{ marginBottom: 16 }}>
          <Form.List name="legalBasis">
            {(rows, { add, remove }) => (
              <>
                {rows.map((row, i) => (
                  <Space key={row.key} style={{ display: 'flex' }} align="start">
                    <Form.Item
                      name={row.name}
                      rules={rules}
                      style={{ marginBottom: 8, width: 560, maxWidth: '70vw' }}
                    >
                      <Input
                        aria-label={t('admin.editor.legalBasisN', { n: i + 1 })}
                        maxLength={500}
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
                <Button size="small" icon={<PlusOutlined />} onClick={() => add('')}>
                  {t('admin.editor.addLegalBasis')}
                </Button>
              </>
            )}
          </Form.List>
        </Card>
      </Col>
      <Col span={24}>
        <Form.Item name="notes" label={t('admin.editor.notes')}>
          <Input.TextArea maxLength={2000} autoSize={{ minRows: 2, maxRows: 6 }} />
        </Form.Item>
      </Col>
    </Row>
  );
}

/** 申请材料: each material, whether it is always needed, in what form, or fetched (免提交). */
export function MaterialsTab({ form, readOnly }: { form: FormInstance; readOnly: boolean }) {
  const { t } = useTranslation();
  const rules = useRequired();
  const materials = (Form.useWatch('materials', { form, preserve: true }) ?? []) as {
    requirement?: string;
    source?: { kind?: string };
  }[];
  return (
    <Form.List name="materials">
      {(rows, { add, remove, move }) => (
        <>
          {rows.map((row, i) => {
            const m = materials[i] ?? {};
            return (
              <Card
                key={row.key}
                size="small"
                title={t('admin.editor.materialN', { n: i + 1 })}
                style={{ marginBottom: 12 }}
                data-testid={`material-editor-${i}`}
                extra={
                  !readOnly && (
                    <Space size={0}>
                      <Button
                        type="text"
                        size="small"
                        icon={<ArrowUpOutlined />}
                        aria-label={t('admin.editor.moveUp')}
                        disabled={i === 0}
                        onClick={() => move(i, i - 1)}
                      />
                      <Button
                        type="text"
                        size="small"
                        icon={<ArrowDownOutlined />}
                        aria-label={t('admin.editor.moveDown')}
                        disabled={i === rows.length - 1}
                        onClick={() => move(i, i + 1)}
                      />
                      <Button
                        type="text"
                        size="small"
                        danger
                        icon={<DeleteOutlined />}
                        aria-label={t('admin.editor.remove')}
                        onClick={() => remove(row.name)}
                      />
                    </Space>
                  )
                }
              >
                <Row gutter={12}>
                  <BiFields
                    name={[row.name, 'name']}
                    label={t('admin.editor.materialName')}
                    required
                  />
                  <Col {...third}>
                    <Form.Item
                      name={[row.name, 'key']}
                      label={t('admin.editor.fieldKey')}
                      rules={rules}
                    >
                      <Input spellCheck={false} maxLength={40} />
                    </Form.Item>
                  </Col>
                  <Col {...third}>
                    <Form.Item name={[row.name, 'form']} label={t('admin.editor.materialForm')}>
                      <Select
                        options={['original', 'copy', 'scan', 'original_and_copy'].map((v) => ({
                          value: v,
                          label: t(`admin.materialForm.${v}`),
                        }))}
                      />
                    </Form.Item>
                  </Col>
                  <Col {...third}>
                    <Form.Item name={[row.name, 'copies']} label={t('admin.editor.copies')}>
                      <InputNumber min={0} max={20} style={{ width: '100%' }} />
                    </Form.Item>
                  </Col>
                  <Col {...half}>
                    <Form.Item
                      name={[row.name, 'requirement']}
                      label={t('admin.editor.requirement')}
                    >
                      <Radio.Group
                        options={[
                          { value: 'required', label: t('admin.editor.reqRequired') },
                          { value: 'conditional', label: t('admin.editor.reqConditional') },
                        ]}
                      />
                    </Form.Item>
                  </Col>
                  <Col {...half}>
                    <Form.Item name={[row.name, 'formats']} label={t('admin.editor.formats')}>
                      <Checkbox.Group
                        options={['pdf', 'jpeg', 'png'].map((v) => ({
                          value: v,
                          label: v.toUpperCase(),
                        }))}
                      />
                    </Form.Item>
                  </Col>
                  {m.requirement === 'conditional' && (
                    <BiFields
                      name={[row.name, 'condition']}
                      label={t('admin.editor.condition')}
                      required
                    />
                  )}
                  <Col {...half}>
                    <Form.Item name={[row.name, 'source', 'kind']} label={t('admin.editor.source')}>
                      <Radio.Group
                        options={[
                          { value: 'applicant', label: t('admin.editor.sourceApplicant') },
                          { value: 'eCertificate', label: t('admin.editor.sourceCertificate') },
                        ]}
                      />
                    </Form.Item>
                  </Col>
                  {m.source?.kind === 'eCertificate' && (
                    <Col {...half}>
                      <Form.Item
                        name={[row.name, 'source', 'certificateType']}
                        label={t('admin.editor.certificateType')}
                        extra={t('admin.editor.certificateTypeHelp')}
                        rules={rules}
                      >
                        <Input spellCheck={false} maxLength={60} />
                      </Form.Item>
                    </Col>
                  )}
                </Row>
              </Card>
            );
          })}
          {!readOnly && (
            <Button
              icon={<PlusOutlined />}
              onClick={() =>
                add({
                  key: `material${rows.length + 1}`,
                  name: { zh: '', en: '' },
                  requirement: 'required',
                  form: 'original',
                  copies: 1,
                  formats: ['pdf', 'jpeg', 'png'],
                  source: { kind: 'applicant' },
                })
              }
            >
              {t('admin.editor.addMaterial')}
            </Button>
          )}
        </>
      )}
    </Form.List>
  );
}

/** 办理流程与时限: who accepts, who decides, where the result goes, the clocks. */
export function RoutingTab() {
  const { t } = useTranslation();
  const { lang } = usePrefs();
  const rules = useRequired();
  const levels = LEVELS.map((v) => ({
    value: v,
    label: lang === 'en' ? LEVEL_LABELS[v].en : LEVEL_LABELS[v].zh,
  }));
  return (
    <Row gutter={12}>
      <Col {...third}>
        <Form.Item
          name={['routing', 'acceptLevel']}
          label={t('admin.catalog.acceptLevel')}
          rules={rules}
        >
          <Select options={levels} />
        </Form.Item>
      </Col>
      <Col {...third}>
        <Form.Item
          name={['routing', 'decideLevel']}
          label={t('admin.editor.decideLevel')}
          rules={rules}
        >
          <Select options={levels} />
        </Form.Item>
      </Col>
      <Col {...third}>
        <Form.Item name={['routing', 'decideBy']} label={t('admin.editor.decideBy')}>
          <Select
            options={['applicant_region', 'object_region'].map((v) => ({
              value: v,
              label: t(`admin.editor.decideByOpt.${v}`),
            }))}
          />
        </Form.Item>
      </Col>
      <Col {...half}>
        <Form.Item name={['routing', 'delivery']} label={t('admin.editor.delivery')} rules={rules}>
          <Checkbox.Group options={optionsOf(DELIVERY_METHODS, lang)} />
        </Form.Item>
      </Col>
      <Col {...third}>
        <Form.Item name={['routing', 'crossRegion']} label={t('admin.editor.crossRegion')}>
          <Select
            options={CROSS_REGION_SCOPES.map((v) => ({
              value: v,
              label: t(`admin.editor.crossRegionOpt.${v}`),
            }))}
          />
        </Form.Item>
      </Col>
      <Col {...half}>
        <Form.Item
          name={['routing', 'departmentSystem']}
          label={t('admin.editor.departmentSystem')}
          extra={t('admin.editor.departmentSystemHelp')}
        >
          <Input spellCheck={false} maxLength={40} placeholder="hrss" />
        </Form.Item>
      </Col>
      <Col {...third}>
        <Form.Item name="legalDays" label={t('admin.editor.legalDays')} rules={rules}>
          <InputNumber min={0} max={365} style={{ width: '100%' }} />
        </Form.Item>
      </Col>
      <Col {...third}>
        <Form.Item name="promisedDays" label={t('admin.catalog.promisedDays')} rules={rules}>
          <InputNumber min={0} max={365} style={{ width: '100%' }} />
        </Form.Item>
      </Col>
      <Col {...third}>
        <Form.Item
          name={['workflow', 'reviewRequired']}
          label={t('admin.editor.reviewRequired')}
          valuePropName="checked"
        >
          <Switch />
        </Form.Item>
      </Col>
    </Row>
  );
}
