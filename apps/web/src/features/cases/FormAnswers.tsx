import type { ApplicationDetail, FormField, ItemVersion } from '@yimen/core';
import { Alert, Card, Descriptions, Skeleton } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi } from '../../api/hooks.ts';
import { usePrefs } from '../../app/prefs.tsx';
import { bi, type Lang } from '../../i18n/index.ts';
import { RegionName } from '../apply/RegionSelect.tsx';

/**
 * One answer as a person reads it: a choice by its label (each of several, joined with 、),
 * yes or no, a region by its name, and "—" for what was left empty.
 */
export function answerText(
  f: FormField,
  v: unknown,
  lang: Lang,
  yesNo: { yes: string; no: string },
): ReactNode {
  if (v === null || v === undefined || v === '' || (Array.isArray(v) && v.length === 0)) return '—';
  if (v === true) return yesNo.yes;
  if (v === false) return yesNo.no;
  if (f.type === 'region' && typeof v === 'string') return <RegionName code={v} />;
  const label = (x: unknown) => {
    const option = f.type === 'select' ? f.options.find((o) => o.value === x) : undefined;
    return option ? bi(option.label, lang) : String(x);
  };
  return Array.isArray(v) ? v.map(label).join('、') : label(v);
}

/** The item version a case was filed under: its form's fields and its materials' names. */
export function useCaseItem(c: ApplicationDetail | null | undefined) {
  return useApi<ItemVersion>(c ? `/catalog/items/${c.itemCode}?version=${c.itemVersion}` : null);
}

/**
 * The application form's answers, in the order and with the labels of the item version the
 * case was filed under: for the staff who decide it and for the villager who filed it.
 */
export function FormAnswers({
  c,
  item,
}: {
  c: ApplicationDetail;
  item: ReturnType<typeof useCaseItem>;
}) {
  const { t } = useTranslation();
  const { lang } = usePrefs();
  const fields = item.data?.content.form.fields ?? [];
  const yesNo = { yes: t('common.yes'), no: t('common.no') };
  return (
    <Card size="small" title={t('case.form')} data-testid="form-answers">
      {item.error && !item.data ? (
        <Alert type="warning" showIcon title={item.error.message} />
      ) : item.isLoading ? (
        <Skeleton active paragraph={{ rows: 3 }} />
      ) : (
        <Descriptions
          size="small"
          column={1}
          items={fields.map((f) => ({
            key: f.key,
            label: bi(f.label, lang),
            children: answerText(f, c.formData[f.key], lang, yesNo),
          }))}
        />
      )}
    </Card>
  );
}
