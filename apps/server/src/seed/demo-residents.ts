import { makeTestIdNumber } from '@yimen/core';
import type { Keys } from '../crypto/keys.ts';
import type { Db } from '../db/connection.ts';
import type { Relationship } from '../db/schema.ts';
import { pinyinOf } from '../modules/regions/regions.import.ts';
import { insertHousehold } from '../modules/residents/residents.repo.ts';
import { sealIdNumber } from '../modules/residents/residents.seal.ts';
import { addResident, findHouseholdByNo } from './seed.repo.ts';

/**
 * Synthetic villagers of the Yiyang story. ID numbers are valid in form (region, date, check
 * character) but invented; no real person's number is here.
 */
interface DemoPerson {
  name: string;
  birth: string;
  sex: 'male' | 'female';
  relationship: Relationship;
  mobile?: string;
}

interface DemoHousehold {
  village: string;
  address: string;
  members: DemoPerson[];
}

const DEMO_HOUSEHOLDS: DemoHousehold[] = [
  {
    // 老王 of 金山村, 赫山区沧水铺镇: registers his grandson's birth at the village station.
    village: '430903105237',
    address: '金山村王家组 8 号',
    members: [
      {
        name: '王建国',
        birth: '19580316',
        sex: 'male',
        relationship: 'head',
        mobile: '13800000001',
      },
      { name: '李秀英', birth: '19600805', sex: 'female', relationship: 'spouse' },
      {
        name: '王强',
        birth: '19860212',
        sex: 'male',
        relationship: 'child',
        mobile: '13800000002',
      },
      {
        name: '张丽',
        birth: '19890920',
        sex: 'female',
        relationship: 'other',
        mobile: '13800000003',
      },
    ],
  },
  {
    // A 金山村 family whose daughter works in 修山镇: the cross-region story.
    village: '430903105237',
    address: '金山村赵家湾 3 号',
    members: [
      { name: '赵德明', birth: '19520101', sex: 'male', relationship: 'head' },
      {
        name: '赵红梅',
        birth: '19780623',
        sex: 'female',
        relationship: 'child',
        mobile: '13800000004',
      },
    ],
  },
  {
    // 三官桥村, 桃江县修山镇: the bedridden 刘桂兰, 86, for whom the agent applies.
    village: '430922101220',
    address: '三官桥村刘家组 12 号',
    members: [
      { name: '刘桂兰', birth: '19400415', sex: 'female', relationship: 'head' },
      {
        name: '刘卫东',
        birth: '19650730',
        sex: 'male',
        relationship: 'child',
        mobile: '13800000005',
      },
    ],
  },
  {
    // 花桥港村: 陈志强 registers as unemployed at the township window.
    village: '430922101224',
    address: '花桥港村陈家组 5 号',
    members: [
      {
        name: '陈志强',
        birth: '19910318',
        sex: 'male',
        relationship: 'head',
        mobile: '13800000006',
      },
      {
        name: '周小芳',
        birth: '19930511',
        sex: 'female',
        relationship: 'spouse',
        mobile: '13800000007',
      },
      { name: '陈思远', birth: '20180902', sex: 'male', relationship: 'child' },
    ],
  },
];

const SURNAMES = [
  '李',
  '张',
  '刘',
  '陈',
  '杨',
  '黄',
  '赵',
  '周',
  '吴',
  '徐',
  '孙',
  '胡',
  '朱',
  '高',
  '郭',
];
const GIVEN_M = ['建华', '国平', '志明', '海波', '德胜', '春生', '立新', '伟'];
const GIVEN_F = ['秀兰', '桂香', '丽华', '春梅', '小红', '玉珍', '淑芬', '芳'];
const VILLAGES = ['430903105237', '430922101220', '430922101224', '430922101001'];

/** A few dozen more villagers in households of three, deterministic from their index. */
function moreHouseholds(): DemoHousehold[] {
  const out: DemoHousehold[] = [];
  for (let h = 0; h < 9; h++) {
    const surname = SURNAMES[h % SURNAMES.length]!;
    const village = VILLAGES[h % VILLAGES.length]!;
    const year = 1945 + h * 4;
    out.push({
      village,
      address: `${surname}家组 ${h + 20} 号`,
      members: [
        {
          name: `${surname}${GIVEN_M[h % GIVEN_M.length]}`,
          birth: `${year}0${(h % 9) + 1}1${h % 9}`,
          sex: 'male',
          relationship: 'head',
        },
        {
          name: `${SURNAMES[(h + 5) % SURNAMES.length]}${GIVEN_F[h % GIVEN_F.length]}`,
          birth: `${year + 2}1${h % 3}0${(h % 8) + 1}`,
          sex: 'female',
          relationship: 'spouse',
        },
        {
          name: `${surname}${GIVEN_F[(h + 3) % GIVEN_F.length]}`,
          birth: `${year + 28}0${(h % 9) + 1}2${h % 8}`,
          sex: 'female',
          relationship: 'child',
        },
      ],
    });
  }
  return out;
}

export async function seedDemoResidents(db: Db, keys: Keys): Promise<number> {
  let created = 0;
  let seq = 0;
  for (const hh of [...DEMO_HOUSEHOLDS, ...moreHouseholds()]) {
    const householdNo = `${hh.village}${String(900 + seq).padStart(4, '0')}`;
    const household =
      (await findHouseholdByNo(db, householdNo)) ??
      (await insertHousehold(db, {
        household_no: householdNo,
        region_code: hh.village,
        address: hh.address,
      }));
    for (const p of hh.members) {
      seq++;
      // Odd sequence digits are men, even are women, as GB 11643 has it.
      const order = seq * 2 + (p.sex === 'male' ? 1 : 0);
      const idNumber = makeTestIdNumber(
        hh.village.slice(0, 6),
        p.birth,
        String(order % 1000).padStart(3, '0'),
      );
      const added = await addResident(db, {
        name: p.name,
        ...sealIdNumber(keys.personalData, idNumber),
        sex: p.sex,
        mobile: p.mobile ?? null,
        region_code: hh.village,
        household_id: household.id,
        relationship: p.relationship,
        name_pinyin: pinyinOf(p.name).full,
      });
      if (added) created++;
    }
  }
  return created;
}
