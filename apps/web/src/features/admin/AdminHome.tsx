import type { DepartmentSystem, ItemPage } from '@yimen/core';
import { Card, Col, Row, Statistic } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useApi } from '../../api/hooks.ts';
import { useAdmin } from './shared.tsx';

function Tile(props: {
  to: string;
  title: string;
  body: string;
  stat?: ReactNode;
  testId: string;
}) {
  return (
    <Col xs={24} sm={12} lg={8}>
      <Link to={props.to} data-testid={props.testId} style={{ display: 'block', height: '100%' }}>
        <Card hoverable title={props.title} style={{ height: '100%' }}>
          <p style={{ marginTop: 0, color: '#444' }}>{props.body}</p>
          {props.stat}
        </Card>
      </Link>
    </Col>
  );
}

/** The console's first page: what there is to look after, with the figures that need a look. */
export default function AdminHome() {
  const { t } = useTranslation();
  const admin = useAdmin();
  const region = admin.root ? `&region=${admin.root}` : '';
  const published = useApi<ItemPage>(`/catalog/items?limit=1&status=published${region}`);
  const drafts = useApi<ItemPage>(`/catalog/items?limit=1&status=draft${region}`);
  const systems = useApi<{ items: DepartmentSystem[] }>(
    admin.integrations ? '/integrations/systems' : null,
  );
  const dead = systems.data?.items.reduce((n, s) => n + s.backlog.dead, 0);
  return (
    <div>
      <h1 style={{ fontSize: '1.3em', marginTop: 0 }}>{t('admin.home.title')}</h1>
      <p>{t('admin.home.intro', { place: admin.me?.servicePoint?.name ?? '' })}</p>
      <Row gutter={[16, 16]}>
        <Tile
          to="/admin/catalog"
          testId="home-catalog"
          title={t('admin.menu.catalog')}
          body={t('admin.home.catalog')}
          stat={
            <Row gutter={16}>
              <Col span={12}>
                <Statistic title={t('admin.home.published')} value={published.data?.total ?? '—'} />
              </Col>
              <Col span={12}>
                <Statistic title={t('admin.home.drafts')} value={drafts.data?.total ?? '—'} />
              </Col>
            </Row>
          }
        />
        <Tile
          to="/admin/users"
          testId="home-users"
          title={t('admin.menu.users')}
          body={t('admin.home.users')}
        />
        <Tile
          to="/admin/service-points"
          testId="home-service-points"
          title={t('admin.menu.servicePoints')}
          body={t('admin.home.servicePoints')}
        />
        {admin.integrations && (
          <Tile
            to="/admin/connectors"
            testId="home-connectors"
            title={t('admin.menu.connectors')}
            body={t('admin.home.connectors')}
            stat={
              <Row gutter={16}>
                <Col span={12}>
                  <Statistic
                    title={t('admin.home.systems')}
                    value={systems.data?.items.length ?? '—'}
                  />
                </Col>
                <Col span={12}>
                  <Statistic
                    title={t('admin.connectors.dead')}
                    value={dead ?? '—'}
                    styles={dead ? { content: { color: '#b91c1c' } } : undefined}
                  />
                </Col>
              </Row>
            }
          />
        )}
        <Tile
          to="/admin/audit"
          testId="home-audit"
          title={t('admin.menu.audit')}
          body={t('admin.home.audit')}
        />
      </Row>
    </div>
  );
}
