import type { HallServicePoint, IssuedTicket, PriorityReason } from '@yimen/core';
import { Alert, Button, Card, Radio, Select, Space } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi, useIdempotentSubmit } from '../../api/hooks.ts';
import { useGroupName } from './parts.tsx';

/** 代取号: the front desk issues a ticket for someone who did not use the machine. */
export function DeskIssue({ code }: { code: string }) {
  const { t } = useTranslation();
  const groupName = useGroupName();
  const point = useApi<HallServicePoint>(`/hall/service-points/${code}`);
  const submit = useIdempotentSubmit<IssuedTicket>();
  const [groupId, setGroupId] = useState<string>();
  const [priority, setPriority] = useState<PriorityReason | 'none'>('none');
  const [issued, setIssued] = useState<IssuedTicket>();
  const groups = point.data?.groups.filter((g) => g.active) ?? [];
  const issue = async () => {
    if (!groupId) return;
    setIssued(undefined);
    try {
      setIssued(
        await submit.run(`/hall/service-points/${code}/tickets`, {
          body: { groupId, priority: priority === 'none' ? null : priority, channel: 'desk' },
        }),
      );
    } catch {
      // shown from submit.error
    }
  };
  return (
    <Card size="small" title={t('hall.console.desk')} style={{ marginTop: 16 }}>
      <Space wrap align="center">
        <Select
          style={{ minWidth: 180 }}
          placeholder={t('hall.console.deskGroup')}
          aria-label={t('hall.console.deskGroup')}
          value={groupId}
          onChange={setGroupId}
          options={groups.map((g) => ({ value: g.id, label: `${g.prefix} · ${groupName(g)}` }))}
        />
        <Radio.Group
          value={priority}
          onChange={(e) => setPriority(e.target.value)}
          options={[
            { value: 'none', label: t('hall.priority.none') },
            { value: 'elderly', label: t('hall.priority.elderly') },
            { value: 'disabled', label: t('hall.priority.disabled') },
          ]}
        />
        <Button onClick={() => void issue()} loading={submit.pending} disabled={!groupId}>
          {t('hall.console.deskIssue')}
        </Button>
      </Space>
      {submit.error && (
        <Alert type="error" showIcon title={submit.error.message} style={{ marginTop: 8 }} />
      )}
      {issued && (
        <Alert
          type="success"
          showIcon
          style={{ marginTop: 8 }}
          title={t('hall.console.deskIssued', {
            number: issued.ticket.number,
            group: groupName(issued.ticket),
            ahead: issued.waitingAhead,
          })}
        />
      )}
    </Card>
  );
}
