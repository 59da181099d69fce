import type { ServicePoint, ServicePointPage, UserPage } from '@yimen/core';
import { Button, Card, Col, Descriptions, Empty, Row, Select, Table, Tag, Tree } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { useApi } from '../../api/hooks.ts';
import { usePrefs } from '../../app/prefs.tsx';
import { ApiAlert, Pager, useAdmin, useCursorPages, useRegionTree } from './shared.tsx';
import { roleLabel } from './users/UserDialogs.tsx';

const KINDS = [
  'village_station',
  'township_centre',
  'county_centre',
  'city_centre',
  'department_office',
];

/** The tree as antd's Tree wants it: nested children from the flat list the hook keeps. */
function nest(nodes: { id: string; pId?: string; title: string; isLeaf: boolean }[]) {
  type N = { key: string; title: string; isLeaf: boolean; children?: N[] };
  const byId = new Map<string, N>();
  for (const n of nodes) byId.set(n.id, { key: n.id, title: n.title, isLeaf: n.isLeaf });
  const roots: N[] = [];
  for (const n of nodes) {
    const me = byId.get(n.id)!;
    const parent = n.pId ? byId.get(n.pId) : undefined;
    // A child that arrives before its parent waits for it rather than showing at the top.
    if (!parent) {
      if (!n.pId) roots.push(me);
    } else if (parent.children) parent.children.push(me);
    else parent.children = [me];
  }
  return roots;
}

/**
 * Service points by region: the tree of the admin's region down to the villages; for the
 * region chosen, its own station or centre with the staff there, and every point inside it.
 * Queue groups at a point are set up in the hall area.
 */
export default function ServicePointsPage() {
  const { t } = useTranslation();
  const { lang } = usePrefs();
  const admin = useAdmin();
  const [params, setParams] = useSearchParams();
  const { nodes, load } = useRegionTree(admin.treeRoot);
  const region = params.get('region') ?? admin.treeRoot;
  const kind = params.get('kind') ?? '';
  const pages = useCursorPages();
  const point = useApi<ServicePoint>(`/service-points/${region}`);
  const qs = new URLSearchParams({ within: region, limit: '20' });
  if (kind) qs.set('kind', kind);
  if (pages.cursor) qs.set('cursor', pages.cursor);
  const inside = useApi<ServicePointPage>(`/service-points?${qs}`);
  const staff = useApi<UserPage>(
    point.data && admin.within(point.data.regionCode)
      ? `/users?servicePointCode=${point.data.code}&limit=50`
      : null,
  );
  const choose = (code: string) => {
    const next = new URLSearchParams(params);
    next.set('region', code);
    setParams(next);
    pages.reset();
  };
  const sp = point.data;

  return (
    <div>
      <h1 style={{ fontSize: '1.3em', marginTop: 0 }}>{t('admin.sp.title')}</h1>
      <Row gutter={16}>
        <Col xs={24} md={8}>
          <Card
            size="small"
            title={t('admin.sp.tree')}
            styles={{ body: { maxHeight: 560, overflow: 'auto' } }}
          >
            <Tree
              // Mounted once the first level is there, so it opens on the admin's own region.
              key={nodes.length ? 'loaded' : 'loading'}
              treeData={nest(nodes)}
              loadData={(n) => load(String(n.key))}
              selectedKeys={[region]}
              defaultExpandedKeys={[admin.treeRoot]}
              onSelect={(k) => k[0] && choose(String(k[0]))}
              data-testid="region-tree"
            />
          </Card>
        </Col>
        <Col xs={24} md={16}>
          <Card
            size="small"
            title={sp ? sp.name : t('admin.sp.point')}
            data-testid="service-point-detail"
            extra={
              sp && (
                <Link to={`/hall/setup?servicePoint=${sp.code}`} data-testid="hall-setup-link">
                  <Button size="small">{t('admin.sp.groups')}</Button>
                </Link>
              )
            }
            style={{ marginBottom: 16 }}
          >
            {point.error?.status === 404 ? (
              <Empty description={t('admin.sp.noPoint')} />
            ) : (
              <ApiAlert error={point.error} />
            )}
            {sp && (
              <Descriptions
                size="small"
                column={{ xs: 1, sm: 2 }}
                items={[
                  { key: 'code', label: t('admin.sp.code'), children: sp.code },
                  {
                    key: 'kind',
                    label: t('admin.sp.kind'),
                    children: t(`admin.sp.kinds.${sp.kind}`),
                  },
                  { key: 'region', label: t('admin.sp.region'), children: sp.regionCode },
                  {
                    key: 'active',
                    label: t('admin.users.state'),
                    children: sp.active ? (
                      <Tag color="green">{t('admin.sp.open')}</Tag>
                    ) : (
                      <Tag>{t('admin.sp.closed')}</Tag>
                    ),
                  },
                  { key: 'address', label: t('admin.sp.address'), children: sp.address ?? '—' },
                  { key: 'phone', label: t('admin.sp.phone'), children: sp.phone ?? '—' },
                ]}
              />
            )}
            {sp && (
              <>
                <h3 style={{ fontSize: '1em', marginTop: 16 }}>{t('admin.sp.staff')}</h3>
                <Table
                  rowKey="id"
                  size="small"
                  pagination={false}
                  loading={staff.isFetching}
                  dataSource={staff.data?.items ?? []}
                  locale={{ emptyText: t('admin.sp.noStaff') }}
                  columns={[
                    { title: t('admin.users.displayName'), dataIndex: 'displayName', key: 'n' },
                    { title: t('auth.username'), dataIndex: 'username', key: 'u' },
                    {
                      title: t('admin.users.roles'),
                      key: 'r',
                      render: (_, u) => u.roles.map((r) => <Tag key={r}>{roleLabel(r, lang)}</Tag>),
                    },
                    {
                      title: t('admin.users.state'),
                      key: 'a',
                      render: (_, u) =>
                        u.active ? t('admin.users.activeTag') : t('admin.users.disabledTag'),
                    },
                  ]}
                />
              </>
            )}
          </Card>
          <Card
            size="small"
            title={t('admin.sp.inside')}
            extra={
              <Select
                aria-label={t('admin.sp.kind')}
                placeholder={t('admin.sp.kind')}
                value={kind || undefined}
                allowClear
                size="small"
                style={{ width: 160 }}
                onChange={(v) => {
                  const next = new URLSearchParams(params);
                  if (v) next.set('kind', v);
                  else next.delete('kind');
                  setParams(next);
                  pages.reset();
                }}
                options={KINDS.map((k) => ({ value: k, label: t(`admin.sp.kinds.${k}`) }))}
              />
            }
          >
            <ApiAlert error={inside.error} />
            <Table
              rowKey="code"
              size="small"
              pagination={false}
              loading={inside.isFetching}
              dataSource={inside.data?.items ?? []}
              onRow={(r) => ({ onClick: () => choose(r.regionCode), style: { cursor: 'pointer' } })}
              columns={[
                { title: t('admin.sp.name'), dataIndex: 'name', key: 'n' },
                { title: t('admin.sp.code'), dataIndex: 'code', key: 'c' },
                {
                  title: t('admin.sp.kind'),
                  key: 'k',
                  render: (_, r) => t(`admin.sp.kinds.${r.kind}`),
                },
                { title: t('admin.sp.phone'), key: 'p', render: (_, r) => r.phone ?? '—' },
              ]}
            />
            <Pager
              index={pages.index}
              nextCursor={inside.data?.nextCursor}
              onPrev={pages.prev}
              onNext={pages.next}
            />
          </Card>
        </Col>
      </Row>
    </div>
  );
}
