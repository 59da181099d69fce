import { CameraOutlined, DeleteOutlined, PaperClipOutlined } from '@ant-design/icons';
import type { Material, UploadedFile } from '@yimen/core';
import { Alert, Button, Tag } from 'antd';
import { type Dispatch, type SetStateAction, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, api, apiUrl } from '../../api/client.ts';
import { usePrefs } from '../../app/prefs.tsx';
import { bi } from '../../i18n/index.ts';
import { shrinkImage } from './compress.ts';

export interface Uploaded {
  sha256: string;
  filename: string;
  size: number;
}
export type MaterialFiles = Record<string, Uploaded[]>;

export async function uploadFile(file: File): Promise<Uploaded> {
  const blob = await shrinkImage(file);
  const r = await api<UploadedFile>('/files', { method: 'POST', file: blob });
  return { sha256: r.sha256, filename: file.name, size: r.size };
}

/** One material: take a photo with the phone's camera or pick a scan (PDF, JPEG, PNG). */
function MaterialRow(props: {
  spec: Material;
  files: Uploaded[];
  /** Functional: uploads of several rows may finish in any order. */
  update: (fn: (files: Uploaded[]) => Uploaded[]) => void;
  missing: boolean;
}) {
  const { t } = useTranslation();
  const { lang } = usePrefs();
  const camera = useRef<HTMLInputElement>(null);
  const picker = useRef<HTMLInputElement>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const { spec, files } = props;
  const id = `material-${spec.key}`;
  const add = async (list: FileList | null) => {
    if (!list?.length) return;
    setBusy(true);
    setError(undefined);
    try {
      const added: Uploaded[] = [];
      for (const f of Array.from(list)) added.push(await uploadFile(f));
      props.update((prev) => [...prev, ...added]);
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e));
    } finally {
      setBusy(false);
      if (camera.current) camera.current.value = '';
      if (picker.current) picker.current.value = '';
    }
  };
  return (
    <fieldset
      id={id}
      data-testid={id}
      style={{
        border: '1px solid #d9d9d9',
        borderRadius: 6,
        padding: '8px 12px',
        marginBottom: 12,
      }}
    >
      <legend style={{ fontSize: '1em', width: 'auto', padding: '0 4px', margin: 0, border: 0 }}>
        {bi(spec.name, lang)}{' '}
        <Tag color={spec.requirement === 'required' ? 'red' : 'default'}>
          {t(`guide.req.${spec.requirement}`)}
        </Tag>
      </legend>
      {spec.condition && <div>{bi(spec.condition, lang)}</div>}
      <input
        ref={camera}
        type="file"
        accept="image/*"
        capture="environment"
        style={{ display: 'none' }}
        onChange={(e) => void add(e.target.files)}
      />
      <input
        ref={picker}
        type="file"
        accept="application/pdf,image/jpeg,image/png"
        multiple
        style={{ display: 'none' }}
        data-testid={`${id}-file`}
        onChange={(e) => void add(e.target.files)}
      />
      <ul style={{ listStyle: 'none', padding: 0, margin: '4px 0' }}>
        {files.map((f, i) => (
          <li key={f.sha256 + String(i)}>
            <a href={apiUrl(`/files/${f.sha256}`)} target="_blank" rel="noreferrer">
              {f.filename}
            </a>{' '}
            ({Math.ceil(f.size / 1024)} KB){' '}
            <Button
              size="small"
              type="text"
              icon={<DeleteOutlined />}
              aria-label={`${t('materials.remove')} ${f.filename}`}
              onClick={() => props.update((prev) => prev.filter((_, j) => j !== i))}
            />
          </li>
        ))}
      </ul>
      <div style={{ display: 'flex', gap: 8, flexWrap: 'wrap' }}>
        <Button icon={<CameraOutlined />} loading={busy} onClick={() => camera.current?.click()}>
          {t('materials.photo')}
        </Button>
        <Button icon={<PaperClipOutlined />} loading={busy} onClick={() => picker.current?.click()}>
          {t('materials.pick')}
        </Button>
      </div>
      {props.missing && !files.length && (
        <div role="alert" style={{ color: '#b91c1c', marginTop: 4 }}>
          {t('materials.missing')}
        </div>
      )}
      {error && <Alert type="error" title={error} showIcon style={{ marginTop: 8 }} />}
    </fieldset>
  );
}

export function MaterialsPicker(props: {
  specs: Material[];
  value: MaterialFiles;
  onChange: Dispatch<SetStateAction<MaterialFiles>>;
  showMissing?: boolean;
}) {
  return (
    <div>
      {props.specs.map((s) => (
        <MaterialRow
          key={s.key}
          spec={s}
          files={props.value[s.key] ?? []}
          missing={!!props.showMissing && s.requirement === 'required'}
          update={(fn) => props.onChange((prev) => ({ ...prev, [s.key]: fn(prev[s.key] ?? []) }))}
        />
      ))}
    </div>
  );
}

export const materialRefs = (v: MaterialFiles) =>
  Object.entries(v).flatMap(([key, files]) =>
    files.map((f) => ({ key, sha256: f.sha256, filename: f.filename.slice(0, 200) })),
  );

export const missingRequired = (specs: Material[], v: MaterialFiles) =>
  specs.filter((s) => s.requirement === 'required' && !v[s.key]?.length);
