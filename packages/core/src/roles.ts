/**
 * Roles are named sets of permissions. A permission says what kind of act is allowed; where
 * it is allowed is the jurisdiction, checked separately: the region subtree of the user's
 * service point (system_admin alone reaches everywhere).
 */
export const PERMISSIONS = [
  'application.view',
  'application.submitCounter',
  'application.submitProxy',
  'application.accept',
  'application.review',
  'application.decide',
  'application.issue',
  'application.handOver',
  'department.handle',
  'resident.read',
  'resident.write',
  'user.manage',
  'servicePoint.manage',
  'catalog.manage',
  'stats.read',
  'audit.read',
  'queue.serve',
  'queue.manage',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

export const ROLES = [
  'village_agent',
  'township_clerk',
  'township_approver',
  'department_officer',
  'county_admin',
  'city_admin',
  'leader',
  'system_admin',
] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  village_agent: [
    'application.view',
    'application.submitCounter',
    'application.submitProxy',
    'application.accept',
    'application.handOver',
    'resident.read',
    'resident.write',
    'queue.serve',
  ],
  township_clerk: [
    'application.view',
    'application.submitCounter',
    'application.accept',
    'application.review',
    'application.handOver',
    'resident.read',
    'resident.write',
    'queue.serve',
  ],
  township_approver: [
    'application.view',
    'application.review',
    'application.decide',
    'application.issue',
    'resident.read',
  ],
  department_officer: ['application.view', 'application.review', 'department.handle'],
  county_admin: [
    'user.manage',
    'servicePoint.manage',
    'catalog.manage',
    'stats.read',
    'audit.read',
    'resident.read',
    'queue.manage',
  ],
  city_admin: [
    'user.manage',
    'servicePoint.manage',
    'catalog.manage',
    'stats.read',
    'audit.read',
    'resident.read',
    'queue.manage',
  ],
  leader: ['stats.read'],
  system_admin: [...PERMISSIONS],
};

export const ROLE_LABELS: Record<Role, { zh: string; en: string }> = {
  village_agent: { zh: '村级代办员（综合窗口）', en: 'Village agent' },
  township_clerk: { zh: '乡镇窗口', en: 'Township clerk' },
  township_approver: { zh: '乡镇审批（一枚印章）', en: 'Township approver' },
  department_officer: { zh: '部门经办人', en: 'Department officer' },
  county_admin: { zh: '县级管理员', en: 'County administrator' },
  city_admin: { zh: '市级管理员', en: 'City administrator' },
  leader: { zh: '领导（只读数据）', en: 'Leader (figures, read-only)' },
  system_admin: { zh: '系统管理员', en: 'System administrator' },
};

/**
 * Which roles an administrator may hand out: never one above their own, so a county admin
 * cannot make a city admin, and only a system admin makes system admins.
 */
export const GRANTABLE_ROLES: Partial<Record<Role, readonly Role[]>> = {
  county_admin: [
    'village_agent',
    'township_clerk',
    'township_approver',
    'department_officer',
    'leader',
    'county_admin',
  ],
  city_admin: [
    'village_agent',
    'township_clerk',
    'township_approver',
    'department_officer',
    'leader',
    'county_admin',
    'city_admin',
  ],
  system_admin: [...ROLES],
};

export function permissionsOf(roles: readonly Role[]): Set<Permission> {
  return new Set(roles.flatMap((r) => ROLE_PERMISSIONS[r]));
}

export function grantableBy(roles: readonly Role[]): Set<Role> {
  return new Set(roles.flatMap((r) => GRANTABLE_ROLES[r] ?? []));
}
