import type { Region, RegionListItem, RegionPage } from '@yimen/core';
import { Alert, Button, Space, TreeSelect } from 'antd';
import { type ReactNode, useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type ApiError, api } from '../../api/client.ts';
import { hasRole, useAuth } from '../../app/auth.tsx';

export const ADMIN_ROLES = ['county_admin', 'city_admin', 'system_admin'] as const;

/** Who the admin is, in the terms the console needs: their reach and what they may run. */
export function useAdmin() {
  const { me } = useAuth();
  const system = hasRole(me, 'system_admin');
  /** The region subtree the admin acts in; null: everywhere (system admin). */
  const root = system ? null : (me?.servicePoint?.regionCode ?? null);
  return {
    me,
    system,
    /** Connectors and the message log are the city's: city or system admins. */
    integrations: hasRole(me, 'city_admin', 'system_admin'),
    root,
    /** Where region trees start: the admin's own region (the city for the demo's admin). */
    treeRoot: me?.servicePoint?.regionCode ?? me?.regionPath.at(-1)?.code ?? '43',
    within: (code: string) => root === null || code.startsWith(root),
  };
}

/** An API refusal in words, with each field it names. */
export function ApiAlert({ error, style }: { error: ApiError | null | undefined; style?: object }) {
  if (!error) return null;
  return (
    <Alert
      type="error"
      showIcon
      role="alert"
      title={error.message}
      description={
        error.fields.length ? (
          <ul style={{ margin: 0, paddingLeft: 18 }}>
            {error.fields.map((f) => (
              <li key={`${f.field}:${f.message}`}>
                <code>{f.field.replace(/^(body|query|params)\./, '')}</code>：{f.message}
              </li>
            ))}
          </ul>
        ) : undefined
      }
      style={{ marginBottom: 12, ...style }}
    />
  );
}

export function fmtTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** JSON as the server gave it, in a scrollable block. */
export function JsonBlock({ value, label }: { value: unknown; label?: string }) {
  if (value === null || value === undefined) return <span>—</span>;
  return (
    <pre
      title={label}
      style={{
        margin: 0,
        maxHeight: 280,
        overflow: 'auto',
        background: '#fafafa',
        border: '1px solid #eee',
        padding: 8,
        fontSize: 12,
        whiteSpace: 'pre-wrap',
        wordBreak: 'break-all',
      }}
    >
      {JSON.stringify(value, null, 2)}
    </pre>
  );
}

/**
 * Pages that follow a cursor: the cursors of the pages seen so far, so "previous" goes back
 * without asking the server to count.
 */
export function useCursorPages() {
  const [stack, setStack] = useState<(string | undefined)[]>([undefined]);
  const [index, setIndex] = useState(0);
  const reset = useCallback(() => {
    setStack([undefined]);
    setIndex(0);
  }, []);
  return {
    cursor: stack[index],
    index,
    reset,
    next: (cursor: string) => {
      setStack((s) => [...s.slice(0, index + 1), cursor]);
      setIndex((i) => i + 1);
    },
    prev: () => setIndex((i) => Math.max(0, i - 1)),
  };
}

export function Pager(props: {
  index: number;
  nextCursor: string | null | undefined;
  onPrev: () => void;
  onNext: (c: string) => void;
}) {
  const { t } = useTranslation();
  return (
    <Space style={{ marginTop: 12 }}>
      <Button disabled={props.index === 0} onClick={props.onPrev} data-testid="page-prev">
        {t('common.prev')}
      </Button>
      <span>{t('admin.common.page', { page: props.index + 1 })}</span>
      <Button
        disabled={!props.nextCursor}
        onClick={() => props.nextCursor && props.onNext(props.nextCursor)}
        data-testid="page-next"
      >
        {t('common.next')}
      </Button>
    </Space>
  );
}

interface TreeNode {
  value: string;
  title: string;
  isLeaf: boolean;
  pId?: string;
  id: string;
}

const LEAF_LEVEL = 'village';

export async function regionChildren(code: string): Promise<RegionListItem[]> {
  const out: RegionListItem[] = [];
  let cursor: string | null = null;
  do {
    const qs = new URLSearchParams({ limit: '200' });
    if (cursor) qs.set('cursor', cursor);
    const page: RegionPage = await api(`/regions/${code}/children?${qs}`);
    out.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return out;
}

/**
 * The regions under `root`, opened level by level as the admin goes down: a county's
 * townships, a township's villages. Each region's code is also its service point's code.
 */
export function useRegionTree(root: string) {
  const [nodes, setNodes] = useState<TreeNode[]>([]);
  // The root and its children arrive together, so the tree can open one level at once.
  useEffect(() => {
    let live = true;
    void Promise.all([api<Region>(`/regions/${root}`), regionChildren(root)])
      .then(([r, kids]) => {
        if (!live) return;
        setNodes([
          { id: r.code, value: r.code, title: r.name, isLeaf: r.level === LEAF_LEVEL },
          ...kids.map((k) => ({
            id: k.code,
            pId: r.code,
            value: k.code,
            title: k.name,
            isLeaf: k.level === LEAF_LEVEL,
          })),
        ]);
      })
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [root]);
  const load = useCallback(async (code: string) => {
    const kids = await regionChildren(code);
    setNodes((prev) => {
      const known = new Set(prev.map((n) => n.id));
      return [
        ...prev,
        ...kids
          .filter((k) => !known.has(k.code))
          .map((k) => ({
            id: k.code,
            pId: code,
            value: k.code,
            title: k.name,
            isLeaf: k.level === LEAF_LEVEL,
          })),
      ];
    });
  }, []);
  return { nodes, load };
}

/** A region (and so its service point) picked from the tree under the admin's own region. */
export function RegionTreeSelect(props: {
  root: string;
  value?: string;
  onChange?: (v: string | undefined) => void;
  id?: string;
  placeholder?: string;
  'aria-label'?: string;
  allowClear?: boolean;
}) {
  const { nodes, load } = useRegionTree(props.root);
  return (
    <TreeSelect
      id={props.id}
      aria-label={props['aria-label']}
      treeDataSimpleMode
      treeData={nodes}
      loadData={(n) => load(String(n.value))}
      value={props.value}
      onChange={(v) => props.onChange?.(v ?? undefined)}
      placeholder={props.placeholder}
      allowClear={props.allowClear ?? true}
      showSearch={{ treeNodeFilterProp: 'title' }}
      style={{ minWidth: 220 }}
    />
  );
}

export function Section({
  title,
  extra,
  children,
}: {
  title: ReactNode;
  extra?: ReactNode;
  children: ReactNode;
}) {
  return (
    <section style={{ marginBottom: 24 }}>
      <div style={{ display: 'flex', alignItems: 'center', gap: 12, flexWrap: 'wrap' }}>
        <h2 style={{ fontSize: '1.1em', margin: '8px 0', flex: '1 1 auto' }}>{title}</h2>
        {extra}
      </div>
      {children}
    </section>
  );
}
