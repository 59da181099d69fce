import type { CatalogCheckResult, ItemContent } from '@yimen/core';
import { Alert, Button, List } from 'antd';
import { useTranslation } from 'react-i18next';
import { usePrefs } from '../../../app/prefs.tsx';
import { type ProblemPlace, placeOf } from './content-model.ts';

/** Where a problem is, in words: the tab, the field or material by number and name, the part. */
export function describePlace(
  place: ProblemPlace,
  content: ItemContent | undefined,
  t: (k: string, o?: Record<string, unknown>) => string,
  lang: string,
): string {
  const parts = [t(`admin.editor.tabs.${place.tab}`)];
  const name = (b: { zh: string; en: string } | undefined) =>
    b ? (lang === 'en' ? b.en : b.zh) : '';
  let rest = place.path;
  if (place.tab === 'form' && place.index !== undefined) {
    const f = content?.form.fields[place.index];
    parts.push(
      t('admin.editor.nthField', { n: place.index + 1, name: name(f?.label) || f?.key || '' }),
    );
    rest = place.path.slice(3);
  } else if (place.tab === 'materials' && place.index !== undefined) {
    const m = content?.materials[place.index];
    parts.push(
      t('admin.editor.nthMaterial', { n: place.index + 1, name: name(m?.name) || m?.key || '' }),
    );
    rest = place.path.slice(2);
  }
  if (rest.length)
    parts.push(rest.map((p) => (typeof p === 'number' ? `#${p + 1}` : p)).join(' · '));
  return parts.join(' › ');
}

/** Every problem at once, each with its place; a click goes to it. */
export function ProblemList(props: {
  problems: CatalogCheckResult['problems'];
  content: ItemContent | undefined;
  title: string;
  onGo: (place: ProblemPlace, message: string) => void;
}) {
  const { t } = useTranslation();
  const { lang } = usePrefs();
  if (!props.problems.length) return null;
  return (
    <Alert
      type="error"
      showIcon
      role="alert"
      data-testid="problem-list"
      title={props.title}
      description={
        <List
          size="small"
          dataSource={props.problems}
          renderItem={(p) => {
            const place = placeOf(p.field);
            return (
              <List.Item
                data-testid="problem"
                actions={[
                  <Button
                    key="go"
                    size="small"
                    type="link"
                    onClick={() => props.onGo(place, p.message)}
                  >
                    {t('admin.editor.goTo')}
                  </Button>,
                ]}
              >
                <div>
                  <strong>{describePlace(place, props.content, t, lang)}</strong>
                  <div>{p.message}</div>
                  <code style={{ fontSize: 11, color: '#666' }}>{p.field}</code>
                </div>
              </List.Item>
            );
          }}
        />
      }
      style={{ marginBottom: 12 }}
    />
  );
}
