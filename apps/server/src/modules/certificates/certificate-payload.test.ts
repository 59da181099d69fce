import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FormField } from '@yimen/core';
import {
  addYears,
  certificateFields,
  displayValue,
  maskPersonName,
} from './certificate-payload.ts';

const text = (key: string, zh: string): FormField => ({
  key,
  type: 'text',
  label: { zh, en: key },
  required: false,
  maxLength: 100,
});

describe('what a certificate payload may show', () => {
  it('masks names: 王*国, 欧**华, 李*', () => {
    assert.equal(maskPersonName('王建国'), '王*国');
    assert.equal(maskPersonName('欧阳明华'), '欧**华');
    assert.equal(maskPersonName('李四'), '李*');
    assert.equal(maskPersonName('𠀋'), '*');
  });

  it('masks names, card numbers and home addresses by the form; keeps the rest', () => {
    const form = new Map<string, FormField>(
      [
        text('guardianName', '监护人姓名（无则不填）'),
        text('disabilityCertNo', '原残疾人证号'),
        text('registeredAddress', '户籍住址'),
        text('ethnicity', '民族'),
        text('businessName', '个体工商户名称'),
      ].map((f) => [f.key, f]),
    );
    const fields = certificateFields(
      [...form.keys(), 'deceasedIdNumber', 'missing', 'area'],
      {
        guardianName: '张三丰',
        disabilityCertNo: '43090319900512123X11',
        registeredAddress: '湖南省益阳市赫山区沧水铺镇金山村3组',
        ethnicity: '汉族',
        businessName: '金山村小卖部',
        deceasedIdNumber: '430903199005121234', // not in the form: the key decides
        area: 1.5,
      },
      form,
    );
    assert.deepEqual(fields, {
      guardianName: '张*丰',
      disabilityCertNo: '430***************11',
      registeredAddress: '湖南省益阳市****',
      ethnicity: '汉族',
      businessName: '金山村小卖部',
      deceasedIdNumber: '430903********1234',
      area: 1.5,
    });
  });

  it('prints option labels, 是/否 and region names', () => {
    const select: FormField = {
      key: 'childOrder',
      type: 'select',
      label: { zh: '孩次', en: 'Order' },
      required: true,
      multiple: false,
      options: [{ value: '1', label: { zh: '第一个子女', en: 'First' } }],
    };
    assert.equal(displayValue('1', select, new Map()), '第一个子女');
    assert.equal(displayValue(true, undefined, new Map()), '是');
    const region: FormField = {
      key: 'v',
      type: 'region',
      level: 'village',
      label: { zh: '村', en: 'Village' },
      required: true,
    };
    assert.equal(
      displayValue('430903105237', region, new Map([['430903105237', '金山村']])),
      '金山村',
    );
  });

  it('ends validity on the same calendar day, years later', () => {
    assert.equal(addYears('2026-03-01', 10), '2036-03-01');
    assert.equal(addYears('2028-02-29', 1), '2029-03-01');
  });
});
