import type { ApplicationDetail, ApplicationSummary, HistoryEntry, Light } from '@yimen/core';
import { Descriptions, Tag, Timeline } from 'antd';
import { useTranslation } from 'react-i18next';

const STATUS_COLOR: Record<string, string> = {
  pending_pre_review: 'blue',
  pending_acceptance: 'blue',
  correction_requested: 'orange',
  under_review: 'processing',
  pending_decision: 'processing',
  suspended: 'warning',
  approved: 'green',
  issued: 'green',
  concluded: 'default',
  refused: 'red',
  withdrawn: 'default',
};

export function StatusTag({ c }: { c: Pick<ApplicationSummary, 'status' | 'statusLabel'> }) {
  return (
    <Tag
      color={STATUS_COLOR[c.status] ?? 'default'}
      data-testid="case-status"
      data-status={c.status}
    >
      {c.statusLabel}
    </Tag>
  );
}

/** The due-date light, in words as well as colour. */
export function DueLight({
  light,
  due,
  estimate,
}: {
  light: Light;
  due: string | null;
  estimate?: boolean;
}) {
  const { t } = useTranslation();
  if (!due) return <span>{t('case.noDue')}</span>;
  return (
    <span data-testid="due-light" data-light={light}>
      <span className={`ym-light ym-light-${light}`} aria-hidden="true" />
      {t(`light.${light}`)} · {t('case.due', { date: due })}
      {estimate ? ` (${t('case.estimate')})` : ''}
    </span>
  );
}

export function CaseFacts({ c }: { c: ApplicationDetail }) {
  const { t } = useTranslation();
  return (
    <Descriptions
      size="small"
      bordered
      column={{ xs: 1, sm: 1, md: 2 }}
      items={[
        {
          key: 'no',
          label: t('case.no'),
          children: <span data-testid="case-no">{c.applicationNo}</span>,
        },
        { key: 's', label: t('case.status'), children: <StatusTag c={c} /> },
        {
          key: 'a',
          label: t('case.applicant'),
          children: `${c.applicant.name} ${c.applicant.idNumberMasked}`,
        },
        { key: 'ch', label: t('case.channel'), children: t(`channel.${c.channel}`) },
        {
          key: 'd',
          label: t('case.dueDate'),
          children: <DueLight light={c.light} due={c.dueDate} estimate={c.dueIsEstimate} />,
        },
        { key: 'r', label: t('case.received'), children: c.received.name },
        { key: 'de', label: t('case.deciding'), children: c.deciding.name },
        { key: 'dl', label: t('case.delivering'), children: c.delivering.name },
      ]}
    />
  );
}

function PayloadLine({ h }: { h: HistoryEntry }) {
  const { t } = useTranslation();
  const p = (h.payload ?? {}) as Record<string, unknown>;
  const missing = p.missing as { item: string; detail?: string }[] | undefined;
  const recipient = p.recipient as
    | { name: string; idNumberMasked?: string; relation?: string }
    | undefined;
  return (
    <>
      {missing && (
        <ul style={{ margin: '4px 0', paddingLeft: '1.2em' }}>
          {missing.map((m) => (
            <li key={m.item}>
              {m.item}
              {m.detail ? `：${m.detail}` : ''}
            </li>
          ))}
        </ul>
      )}
      {typeof p.reasons === 'string' && (
        <div>
          {t('case.reasons')}：{p.reasons}
        </div>
      )}
      {typeof p.certificateNo === 'string' && (
        <div>
          {t('case.certificateNo')}：{p.certificateNo}
        </div>
      )}
      {recipient && (
        <div>
          {t('case.recipient')}：{recipient.name} {recipient.idNumberMasked ?? ''}
        </div>
      )}
    </>
  );
}

/** The case's history: every action, who took it, where and when. */
export function CaseTimeline({ history }: { history: HistoryEntry[] }) {
  const { t } = useTranslation();
  return (
    <Timeline
      data-testid="timeline"
      items={history.map((h) => ({
        key: h.seq,
        color:
          h.action === 'refuse' || h.action === 'deny'
            ? 'red'
            : h.action === 'requestCorrection'
              ? 'orange'
              : 'green',
        content: (
          <div>
            <strong>{h.label}</strong>
            <div style={{ color: '#555' }}>
              {new Date(h.occurredAt).toLocaleString()} ·{' '}
              {h.actor.name ?? t(`actor.${h.actor.kind}`)}
            </div>
            {h.comment && <div>{h.comment}</div>}
            <PayloadLine h={h} />
          </div>
        ),
      }))}
    />
  );
}
