import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { maskMobile, mobileSchema, validateMobile } from './phone.ts';

describe('validateMobile', () => {
  it('accepts a plain 11-digit number', () => {
    assert.deepEqual(validateMobile('13800000001'), { ok: true, value: '13800000001' });
    assert.deepEqual(validateMobile('19912345678'), { ok: true, value: '19912345678' });
  });

  it('strips spaces, dashes and a +86 / 86 prefix', () => {
    assert.deepEqual(validateMobile(' 138 0000 0001 '), { ok: true, value: '13800000001' });
    assert.deepEqual(validateMobile('138-0000-0001'), { ok: true, value: '13800000001' });
    assert.deepEqual(validateMobile('+8613800000001'), { ok: true, value: '13800000001' });
    assert.deepEqual(validateMobile('+86 138 0000 0001'), { ok: true, value: '13800000001' });
    assert.deepEqual(validateMobile('8613800000001'), { ok: true, value: '13800000001' });
    assert.deepEqual(validateMobile('86-138-0000-0001'), { ok: true, value: '13800000001' });
  });

  it('reports an empty input', () => {
    assert.deepEqual(validateMobile(' - '), {
      ok: false,
      reason: 'empty',
      message: { zh: '请填写手机号码', en: 'the mobile number is missing' },
    });
  });

  it('rejects numbers that are not mainland mobiles', () => {
    const notMobile = {
      ok: false,
      reason: 'not_mobile',
      message: {
        zh: '手机号码应为 11 位数字，以 13–19 开头',
        en: 'a mobile number has 11 digits and starts with 13–19',
      },
    };
    assert.deepEqual(validateMobile('12800000001'), notMobile);
    assert.deepEqual(validateMobile('1380000000'), notMobile);
    assert.deepEqual(validateMobile('138000000012'), notMobile);
    assert.deepEqual(validateMobile('0737-4221234'), notMobile);
    assert.deepEqual(validateMobile('+8512800000001'), notMobile);
    assert.deepEqual(validateMobile('+85213800000001'), notMobile);
    assert.deepEqual(validateMobile('1380000000a'), notMobile);
    assert.deepEqual(validateMobile('++8613800000001'), notMobile);
  });
});

describe('maskMobile', () => {
  it('keeps the first 3 and last 4 digits', () => {
    assert.equal(maskMobile('13800000001'), '138****0001');
    assert.equal(maskMobile('+86 139-1234-5678'), '139****5678');
  });

  it('never answers other input unmasked', () => {
    assert.equal(maskMobile('0737-4221234'), '073*******34');
    assert.equal(maskMobile('12345'), '*****');
  });
});

describe('mobileSchema', () => {
  it('answers the bare 11-digit number', () => {
    assert.deepEqual(mobileSchema.safeParse('+86 138-0000-0001'), {
      success: true,
      data: '13800000001',
    });
  });

  it('fails with a bilingual message', () => {
    const result = mobileSchema.safeParse('12800000001');
    assert.equal(result.success, false);
    assert.equal(
      result.error?.issues[0]?.message,
      '手机号码应为 11 位数字，以 13–19 开头‖a mobile number has 11 digits and starts with 13–19',
    );
    assert.ok(mobileSchema.safeParse('').error?.issues[0]?.message.includes('‖'));
  });
});
