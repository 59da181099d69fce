import type { Role } from '@yimen/core';
import type { Db } from '../db/connection.ts';
import { hashPassword } from '../modules/accounts/passwords.ts';
import { findServicePoint } from '../modules/service-points/service-points.repo.ts';
import { addServicePoint, addUser, insertRoles } from './seed.repo.ts';

export const DEMO_PASSWORD = 'yimen-demo';

interface DemoStaff {
  username: string;
  displayName: string;
  roles: Role[];
  servicePointCode: string;
  department?: string;
}

/** The people of the Yiyang story, at the places the article names. */
export const DEMO_STAFF: DemoStaff[] = [
  {
    username: 'admin',
    displayName: '系统管理员',
    roles: ['system_admin'],
    servicePointCode: '4309',
  },
  { username: 'leader', displayName: '市领导', roles: ['leader'], servicePointCode: '4309' },
  {
    username: 'admin.taojiang',
    displayName: '桃江县管理员',
    roles: ['county_admin'],
    servicePointCode: '430922',
  },
  {
    username: 'admin.heshan',
    displayName: '赫山区管理员',
    roles: ['county_admin'],
    servicePointCode: '430903',
  },
  {
    username: 'agent.sanguanqiao',
    displayName: '三官桥村代办员',
    roles: ['village_agent'],
    servicePointCode: '430922101220',
  },
  {
    username: 'agent.huaqiaogang',
    displayName: '花桥港村代办员',
    roles: ['village_agent'],
    servicePointCode: '430922101224',
  },
  {
    username: 'clerk.xiushan',
    displayName: '修山镇窗口',
    roles: ['township_clerk'],
    servicePointCode: '430922101',
  },
  {
    username: 'approver.xiushan',
    displayName: '修山镇审批',
    roles: ['township_approver'],
    servicePointCode: '430922101',
  },
  {
    username: 'agent.jinshan',
    displayName: '金山村代办员',
    roles: ['village_agent'],
    servicePointCode: '430903105237',
  },
  {
    username: 'clerk.cangshuipu',
    displayName: '沧水铺镇窗口',
    roles: ['township_clerk'],
    servicePointCode: '430903105',
  },
  {
    username: 'approver.cangshuipu',
    displayName: '沧水铺镇审批',
    roles: ['township_approver'],
    servicePointCode: '430903105',
  },
  {
    username: 'officer.hrss',
    displayName: '市人社局经办人',
    roles: ['department_officer'],
    servicePointCode: '4309-HRSS',
    department: '人社',
  },
];

/** Department offices the demo staff work at (stations and centres come from the regions). */
const DEMO_DEPARTMENT_OFFICES = [
  { code: '4309-HRSS', name: '益阳市人力资源和社会保障局', regionCode: '4309' },
];

export async function seedDemoStaff(db: Db): Promise<number> {
  for (const office of DEMO_DEPARTMENT_OFFICES) {
    await addServicePoint(db, {
      code: office.code,
      name: office.name,
      kind: 'department_office',
      region_code: office.regionCode,
    });
  }
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  let created = 0;
  for (const s of DEMO_STAFF) {
    const sp = await findServicePoint(db, s.servicePointCode);
    if (!sp) throw new Error(`the demo needs service point ${s.servicePointCode}`);
    const userId = await addUser(db, {
      kind: 'staff',
      username: s.username,
      display_name: s.displayName,
      password_hash: passwordHash,
      service_point_id: sp.id,
      department: s.department ?? null,
      password_changed_at: new Date(),
    });
    if (!userId) continue;
    created++;
    await insertRoles(db, userId, s.roles);
  }
  return created;
}
