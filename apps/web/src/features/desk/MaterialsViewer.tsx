import type { ApplicationDetail } from '@yimen/core';
import { Button, Empty, Tag } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { apiUrl, request } from '../../api/client.ts';

/** The case's materials, one at a time: images inline, PDFs in a frame; missing ones flagged. */
export function MaterialsViewer({
  c,
  names,
}: {
  c: ApplicationDetail;
  names: Record<string, string>;
}) {
  const { t } = useTranslation();
  const files = c.materials.filter((m) => m.sha256);
  const [current, setCurrent] = useState(0);
  const [kind, setKind] = useState<Record<string, string>>({});
  const shown = files[current];
  const src = shown?.sha256 ? apiUrl(`/files/${shown.sha256}`) : '';
  const sha = shown?.sha256;
  // The stored type decides how to show a file: ask the server once per file. Without an
  // answer the file is only linked.
  useEffect(() => {
    if (!sha || kind[sha] !== undefined) return;
    request(`/files/${sha}`, { method: 'HEAD' })
      .then((r) => setKind((k) => ({ ...k, [sha]: r.headers.get('content-type') ?? '' })))
      .catch(() => undefined);
  }, [sha, kind]);
  const type = shown?.sha256 ? kind[shown.sha256] : undefined;
  return (
    <div data-testid="materials-viewer">
      {c.missingMaterials.length > 0 && (
        <p>
          {t('viewer.missing')}{' '}
          {c.missingMaterials.map((k) => (
            <Tag color="red" key={k}>
              {names[k] ?? k}
            </Tag>
          ))}
        </p>
      )}
      {!files.length && <Empty description={t('viewer.none')} />}
      <div
        role="tablist"
        aria-label={t('viewer.title')}
        style={{ display: 'flex', gap: 6, flexWrap: 'wrap', marginBottom: 8 }}
      >
        {files.map((m, i) => (
          <Button
            key={`${m.key}-${m.sha256}`}
            role="tab"
            aria-selected={i === current}
            type={i === current ? 'primary' : 'default'}
            size="small"
            onClick={() => setCurrent(i)}
          >
            {names[m.key] ?? m.key}
          </Button>
        ))}
      </div>
      {shown && (
        <div role="tabpanel">
          {type?.startsWith('image/') && (
            <img className="ym-material-preview" src={src} alt={names[shown.key] ?? shown.key} />
          )}
          {type === 'application/pdf' && (
            <iframe className="ym-material-frame" src={src} title={names[shown.key] ?? shown.key} />
          )}
          <div>
            <a href={src} target="_blank" rel="noreferrer">
              {t('viewer.open')}
            </a>
          </div>
        </div>
      )}
    </div>
  );
}
