import type { FormField } from '@yimen/core';
import { Form, Input, InputNumber, Radio, Select } from 'antd';
import type { Rule } from 'antd/es/form';
import { useTranslation } from 'react-i18next';
import { usePrefs } from '../../app/prefs.tsx';
import { bi } from '../../i18n/index.ts';
import { RegionSelect } from './RegionSelect.tsx';

const today = () => new Date().toISOString().slice(0, 10);

/** The form an item's schema describes, one antd Form.Item per field, each labelled. */
export function FormFields({ fields }: { fields: FormField[] }) {
  const { t } = useTranslation();
  const { lang } = usePrefs();
  return (
    <>
      {fields.map((f) => {
        const rules: Rule[] = [];
        if (f.required) rules.push({ required: true, message: t('form.required') });
        if (f.type === 'idNumber')
          rules.push({ pattern: /^\d{17}[\dXx]$/, message: t('form.idNumberInvalid') });
        if (f.type === 'mobile')
          rules.push({ pattern: /^1[3-9]\d{9}$/, message: t('form.mobileInvalid') });
        return (
          <Form.Item
            key={f.key}
            name={f.key}
            label={bi(f.label, lang)}
            rules={rules}
            extra={f.help ? bi(f.help, lang) : undefined}
            normalize={f.type === 'idNumber' ? (v: string) => v?.toUpperCase().trim() : undefined}
          >
            {control(f, lang, t, bi(f.label, lang))}
          </Form.Item>
        );
      })}
    </>
  );
}

function control(f: FormField, lang: string, t: (k: string) => string, label: string) {
  switch (f.type) {
    case 'textarea':
      return <Input.TextArea maxLength={f.maxLength} autoSize={{ minRows: 2, maxRows: 6 }} />;
    case 'number':
      return <InputNumber min={f.min} max={f.max} style={{ width: '100%' }} />;
    case 'date':
      return <Input type="date" max={f.notAfterToday ? today() : undefined} />;
    case 'boolean':
      return (
        <Radio.Group
          role="radiogroup"
          aria-label={label}
          options={[
            { value: true, label: t('common.yes') },
            { value: false, label: t('common.no') },
          ]}
        />
      );
    case 'select': {
      const options = (f.options ?? []).map((o) => ({ value: o.value, label: bi(o.label, lang) }));
      if (!f.multiple && options.length <= 4)
        return <Radio.Group role="radiogroup" aria-label={label} options={options} />;
      return (
        <Select
          options={options}
          mode={f.multiple ? 'multiple' : undefined}
          allowClear
          aria-label={label}
        />
      );
    }
    case 'idNumber':
      return <Input maxLength={18} autoComplete="off" spellCheck={false} />;
    case 'mobile':
      return <Input inputMode="tel" maxLength={11} autoComplete="tel" />;
    case 'region':
      return <RegionSelect level={f.level} aria-label={label} />;
    default:
      return <Input maxLength={f.maxLength} />;
  }
}

/** Form values as the API wants them: empty optional fields left out. */
export function toFormData(fields: FormField[], values: Record<string, unknown>) {
  const out: Record<string, unknown> = {};
  for (const f of fields) {
    const v = values[f.key];
    if (v === undefined || v === null || v === '') continue;
    out[f.key] = v;
  }
  return out;
}
