import { type Me, maskMobile, ROLE_LABELS, type Role, type User } from '@yimen/core';
import type { Actor } from '../../auth/actor.ts';
import type { Lang } from '../../errors.ts';
import type { LiveSessionRow } from './sessions.repo.ts';
import type { MeFacts, UserRow } from './users.repo.ts';

/** The signed-in user as `GET /api/v1/me` shows them. */
export function presentMe(
  actor: Actor,
  user: MeFacts,
  regionPath: Me['regionPath'],
  lang: Lang,
): Me {
  const sp = actor.servicePoint;
  return {
    id: actor.userId,
    kind: actor.kind,
    name: actor.name,
    username: actor.username,
    roles: actor.roles.map((role: Role) => ({
      role,
      label: lang === 'en' ? ROLE_LABELS[role].en : ROLE_LABELS[role].zh,
    })),
    servicePoint:
      sp && user.sp_kind
        ? { code: sp.code, name: sp.name, kind: user.sp_kind, regionCode: sp.regionCode }
        : null,
    regionPath,
    department: actor.department,
    mobileMasked: user.mobile ? maskMobile(user.mobile) : null,
    resident:
      user.resident_id && user.resident_name && user.id_number_masked
        ? { id: user.resident_id, name: user.resident_name, idNumberMasked: user.id_number_masked }
        : null,
  };
}

export function presentUser(r: UserRow): User {
  return {
    id: r.id,
    username: r.username,
    displayName: r.display_name,
    roles: r.roles,
    servicePoint: { code: r.sp_code, name: r.sp_name, regionCode: r.sp_region },
    department: r.department,
    active: r.active,
    lockedUntil:
      r.locked_until && r.locked_until.getTime() > Date.now() ? r.locked_until.toISOString() : null,
    createdAt: r.created_at.toISOString(),
  };
}

/** One of the signed-in user's sessions; `current` is the one asking. */
export function presentSession(r: LiveSessionRow, currentSessionId: string) {
  return {
    id: r.id,
    kind: r.kind,
    createdAt: r.created_at.toISOString(),
    lastSeenAt: r.last_seen_at.toISOString(),
    expiresAt: r.expires_at.toISOString(),
    ip: r.ip,
    userAgent: r.user_agent,
    current: r.id === currentSessionId,
  };
}
