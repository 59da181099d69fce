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
  type ColProps,
  Form,
  type FormInstance,
  type FormItemProps,
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

const full = { span: 24 };
const half = { xs: 24, sm: 12 };
const third = { xs: 24, sm: 8 };

function useRequired() {
  const { t } = useTranslation();
  return [{ required: true, message: t('admin.editor.requiredValue') }];
}

/** One field of the editor's grid: its form item in a column a third wide, unless told. */
function Cell({
  width = third,
  required,
  ...item
}: FormItemProps & { width?: ColProps; required?: boolean }) {
  const rules = useRequired();
  return (
    <Col {...width}>
      <Form.Item rules={required ? rules : undefined} {...item} />
    </Col>
  );
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
  const Control = props.area ? Input.TextArea : Input;
  return (
    <>
      {(['zh', 'en'] as const).map((lang) => (
        <Cell
          key={lang}
          width={half}
          name={[...props.name, lang]}
          label={props.labels?.[lang] ?? `${props.label}（${t(`admin.editor.${lang}`)}）`}
          required={props.required}
        >
          <Control maxLength={props.maxLength ?? 500} />
        </Cell>
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
      <Cell name="shortName" label={t('admin.editor.shortName')}>
        <Input maxLength={30} />
      </Cell>
      <Cell name="basicCode" label={t('admin.editor.basicCode')} required>
        <Input maxLength={60} />
      </Cell>
      <Cell name="type" label={t('admin.editor.itemType')} required>
        <Select options={optionsOf(ITEM_TYPES, lang)} />
      </Cell>
      <BiFields name={['summary']} label={t('admin.editor.summary')} area />
      <Cell name="department" label={t('admin.catalog.department')} required>
        <Select options={optionsOf(DEPARTMENTS, lang)} showSearch={{ optionFilterProp: 'label' }} />
      </Cell>
      <Cell name="applicantType" label={t('admin.editor.applicantType')} required>
        <Select options={optionsOf(APPLICANT_TYPES, lang)} />
      </Cell>
      <Cell name="visitsRequired" label={t('admin.editor.visitsRequired')} required>
        <InputNumber min={0} max={5} style={{ width: '100%' }} />
      </Cell>
      <Cell width={half} name="themes" label={t('admin.editor.themes')}>
        <Select mode="multiple" maxCount={6} options={optionsOf(THEMES, lang)} />
      </Cell>
      <Cell width={half} name="channels" label={t('admin.editor.channels')} required>
        <Checkbox.Group options={optionsOf(CHANNELS, lang)} />
      </Cell>
      <Cell name={['fee', 'kind']} label={t('admin.editor.fee')}>
        <Radio.Group
          options={[
            { value: 'none', label: t('admin.editor.feeNone') },
            { value: 'fixed', label: t('admin.editor.feeFixed') },
          ]}
        />
      </Cell>
      {feeKind === 'fixed' && (
        <>
          <Cell name={['fee', 'amountYuan']} label={t('admin.editor.feeAmount')} required>
            <InputNumber min={0} style={{ width: '100%' }} />
          </Cell>
          <Cell name={['fee', 'basis']} label={t('admin.editor.feeBasis')} required>
            <Input maxLength={500} />
          </Cell>
        </>
      )}
      <Cell width={full} name="resultType" label={t('admin.editor.resultType')} required>
        <Radio.Group options={optionsOf(RESULT_TYPES, lang)} />
      </Cell>
      <Col span={24}>
        <Card
          size="small"
          title={t('admin.editor.certificateTemplate')}
          style={{ marginBottom: 16 }}
        >
          <Row gutter={12}>
            <BiFields name={['certificateTemplate', 'title']} label={t('admin.editor.certTitle')} />
            <Cell
              width={{ xs: 24, sm: 16 }}
              name={['certificateTemplate', 'fields']}
              label={t('admin.editor.certFields')}
            >
              <Select mode="multiple" options={fieldKeys.map((k) => ({ value: k, label: k }))} />
            </Cell>
            <Cell
              width={{ xs: 24, sm: 8 }}
              name={['certificateTemplate', 'validYears']}
              label={t('admin.editor.validYears')}
            >
              <InputNumber min={0} max={100} style={{ width: '100%' }} />
            </Cell>
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
      <Cell width={full} name="notes" label={t('admin.editor.notes')}>
        <Input.TextArea maxLength={2000} autoSize={{ minRows: 2, maxRows: 6 }} />
      </Cell>
    </Row>
  );
}

/** 申请材料: each material, whether it is always needed, in what form, or fetched (免提交). */
export function MaterialsTab({ form, readOnly }: { form: FormInstance; readOnly: boolean }) {
  const { t } = useTranslation();
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
                  <Cell name={[row.name, 'key']} label={t('admin.editor.fieldKey')} required>
                    <Input spellCheck={false} maxLength={40} />
                  </Cell>
                  <Cell name={[row.name, 'form']} label={t('admin.editor.materialForm')}>
                    <Select
                      options={['original', 'copy', 'scan', 'original_and_copy'].map((v) => ({
                        value: v,
                        label: t(`admin.materialForm.${v}`),
                      }))}
                    />
                  </Cell>
                  <Cell name={[row.name, 'copies']} label={t('admin.editor.copies')}>
                    <InputNumber min={0} max={20} style={{ width: '100%' }} />
                  </Cell>
                  <Cell
                    width={half}
                    name={[row.name, 'requirement']}
                    label={t('admin.editor.requirement')}
                  >
                    <Radio.Group
                      options={[
                        { value: 'required', label: t('admin.editor.reqRequired') },
                        { value: 'conditional', label: t('admin.editor.reqConditional') },
                      ]}
                    />
                  </Cell>
                  <Cell width={half} name={[row.name, 'formats']} label={t('admin.editor.formats')}>
                    <Checkbox.Group
                      options={['pdf', 'jpeg', 'png'].map((v) => ({
                        value: v,
                        label: v.toUpperCase(),
                      }))}
                    />
                  </Cell>
                  {m.requirement === 'conditional' && (
                    <BiFields
                      name={[row.name, 'condition']}
                      label={t('admin.editor.condition')}
                      required
                    />
                  )}
                  <Cell
                    width={half}
                    name={[row.name, 'source', 'kind']}
                    label={t('admin.editor.source')}
                  >
                    <Radio.Group
                      options={[
                        { value: 'applicant', label: t('admin.editor.sourceApplicant') },
                        { value: 'eCertificate', label: t('admin.editor.sourceCertificate') },
                      ]}
                    />
                  </Cell>
                  {m.source?.kind === 'eCertificate' && (
                    <Cell
                      width={half}
                      name={[row.name, 'source', 'certificateType']}
                      label={t('admin.editor.certificateType')}
                      extra={t('admin.editor.certificateTypeHelp')}
                      required
                    >
                      <Input spellCheck={false} maxLength={60} />
                    </Cell>
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
  const levels = LEVELS.map((v) => ({
    value: v,
    label: lang === 'en' ? LEVEL_LABELS[v].en : LEVEL_LABELS[v].zh,
  }));
  return (
    <Row gutter={12}>
      <Cell name={['routing', 'acceptLevel']} label={t('admin.catalog.acceptLevel')} required>
        <Select options={levels} />
      </Cell>
      <Cell name={['routing', 'decideLevel']} label={t('admin.editor.decideLevel')} required>
        <Select options={levels} />
      </Cell>
      <Cell name={['routing', 'decideBy']} label={t('admin.editor.decideBy')}>
        <Select
          options={['applicant_region', 'object_region'].map((v) => ({
            value: v,
            label: t(`admin.editor.decideByOpt.${v}`),
          }))}
        />
      </Cell>
      <Cell width={half} name={['routing', 'delivery']} label={t('admin.editor.delivery')} required>
        <Checkbox.Group options={optionsOf(DELIVERY_METHODS, lang)} />
      </Cell>
      <Cell name={['routing', 'crossRegion']} label={t('admin.editor.crossRegion')}>
        <Select
          options={CROSS_REGION_SCOPES.map((v) => ({
            value: v,
            label: t(`admin.editor.crossRegionOpt.${v}`),
          }))}
        />
      </Cell>
      <Cell
        width={half}
        name={['routing', 'departmentSystem']}
        label={t('admin.editor.departmentSystem')}
        extra={t('admin.editor.departmentSystemHelp')}
      >
        <Input spellCheck={false} maxLength={40} placeholder="hrss" />
      </Cell>
      <Cell name="legalDays" label={t('admin.editor.legalDays')} required>
        <InputNumber min={0} max={365} style={{ width: '100%' }} />
      </Cell>
      <Cell name="promisedDays" label={t('admin.catalog.promisedDays')} required>
        <InputNumber min={0} max={365} style={{ width: '100%' }} />
      </Cell>
      <Cell
        name={['workflow', 'reviewRequired']}
        label={t('admin.editor.reviewRequired')}
        valuePropName="checked"
      >
        <Switch />
      </Cell>
    </Row>
  );
}
