import {
  ACTION_NAMES,
  type ApplicationDetail,
  type ApplicationSummary,
  type ItemContent,
  STATUS_LABELS,
  WORKFLOW,
} from '@yimen/core';
import type { Lang } from '../../errors.ts';
import type { DetailRow, SummaryRow } from './applications.repo.ts';
import { lightFor } from './clock.ts';

/** A case in a list: where it is, whose, how its clock stands. */
export function presentSummary(r: SummaryRow, lang: Lang, today: string): ApplicationSummary {
  return {
    id: r.id,
    applicationNo: r.application_no,
    itemCode: r.item_code,
    itemName: r.item_name,
    itemVersion: r.item_version,
    applicantName: r.applicant_name,
    channel: r.channel,
    status: r.status,
    statusLabel: lang === 'en' ? STATUS_LABELS[r.status].en : STATUS_LABELS[r.status].zh,
    version: r.version,
    received: { code: r.r_code, name: r.r_name },
    deciding: { code: r.d_code, name: r.d_name },
    delivering: { code: r.v_code, name: r.v_name },
    crossRegion: r.cross_region,
    submittedAt: r.submitted_at.toISOString(),
    dueDate: r.due_date,
    dueIsEstimate: r.due_is_estimate,
    light: lightFor(r, today),
  };
}

const SUBMIT_LABEL = { zh: '提交申请', en: 'Submit' };

/** A case in full for one reader: its timeline, materials, and the steps they may take now. */
export function presentDetail(
  found: DetailRow,
  content: ItemContent,
  lang: Lang,
  today: string,
  allowedActions: ApplicationDetail['allowedActions'],
): ApplicationDetail {
  const { actions, materials, rating } = found;
  const attached = new Set(materials.map((m) => m.material_key));
  const lastCorrection = [...actions]
    .reverse()
    .find((a) => a.action === 'requestCorrection' || a.action === 'departmentRequestCorrection');
  const label = (name: string) => {
    const l = name === 'submit' ? SUBMIT_LABEL : WORKFLOW[name as keyof typeof WORKFLOW]?.label;
    return l ? (lang === 'en' ? l.en : l.zh) : name;
  };
  return {
    ...presentSummary(found, lang, today),
    applicant: {
      id: found.applicant_id,
      name: found.p_name,
      idNumberMasked: found.p_id_number_masked,
    },
    formData: found.form_data as Record<string, unknown>,
    materials: materials.map((m) => ({
      key: m.material_key,
      source: m.source,
      sha256: m.file_sha256,
      certificateNo: m.certificate_no,
      filename: m.filename,
    })),
    missingMaterials: content.materials
      .filter((m) => m.requirement === 'required' && !attached.has(m.key))
      .map((m) => m.key),
    history: actions.map((a) => ({
      seq: a.seq,
      action: a.action,
      label: label(a.action),
      fromStatus: a.from_status,
      toStatus: a.to_status,
      actor: {
        kind: a.actor_kind,
        name: a.actor_name,
        roles: a.actor_roles,
        servicePoint: a.actor_sp_code,
      },
      comment: a.comment,
      payload: a.payload,
      // json_agg gives timestamps as text with the session's offset.
      occurredAt: new Date(a.occurred_at).toISOString(),
    })),
    allowedActions,
    certificateNo: found.cert_no,
    correction:
      found.status === 'correction_requested' && lastCorrection ? lastCorrection.payload : null,
    rating: rating ? { grade: rating.grade, comment: rating.comment } : null,
  };
}

/** The steps one may take on a case now: by the workflow's table and who one is. */
export function allowedFor(
  status: ApplicationDetail['status'],
  may: (name: (typeof ACTION_NAMES)[number]) => boolean,
): ApplicationDetail['allowedActions'] {
  return ACTION_NAMES.filter((name) => {
    const from = WORKFLOW[name].from as readonly string[];
    return from.includes(status) && may(name);
  });
}
