import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  computeCheckCharacter,
  idNumberSchema,
  makeTestIdNumber,
  maskIdNumber,
  validateIdNumber,
} from './id-number.ts';

const TODAY = new Date(2024, 5, 1); // 2024-06-01, local time

function reasonOf(input: string, today: Date = TODAY): string {
  const result = validateIdNumber(input, today);
  return result.ok ? 'ok' : result.reason;
}

describe('ID number check character', () => {
  it('computes the ISO 7064 MOD 11-2 character', () => {
    // Worked by hand: weighted sum 240, 240 % 11 = 9 → '3'.
    assert.equal(computeCheckCharacter('43090319560312123'), '3');
    // Public sample: weighted sum 167, 167 % 11 = 2 → 'X'.
    assert.equal(computeCheckCharacter('11010519491231002'), 'X');
    assert.equal(computeCheckCharacter('43090319560312124'), '1');
  });

  it('rejects anything but 17 digits', () => {
    assert.throws(() => computeCheckCharacter('4309031956031212'), RangeError);
    assert.throws(() => computeCheckCharacter('4309031956031212A'), RangeError);
  });

  it('builds test numbers with the right check character', () => {
    assert.equal(makeTestIdNumber('430903', '19560312', '123'), '430903195603121233');
    assert.equal(makeTestIdNumber('430903', '19560312', '124'), '430903195603121241');
    assert.equal(makeTestIdNumber('430922', '20000229', '031'), '430922200002290317');
    assert.throws(() => makeTestIdNumber('43090', '19560312', '123'), RangeError);
    assert.throws(() => makeTestIdNumber('430903', '1956-03-12', '123'), RangeError);
    assert.throws(() => makeTestIdNumber('430903', '19560312', '12'), RangeError);
  });
});

describe('validateIdNumber', () => {
  it('accepts a valid number and reads region, birth date and sex', () => {
    assert.deepEqual(validateIdNumber('430903195603121233', TODAY), {
      ok: true,
      value: '430903195603121233',
      regionCode: '430903',
      birthDate: '1956-03-12',
      sex: 'male',
    });
    assert.deepEqual(validateIdNumber('430903195603121241', TODAY), {
      ok: true,
      value: '430903195603121241',
      regionCode: '430903',
      birthDate: '1956-03-12',
      sex: 'female',
    });
  });

  it('accepts the public sample 11010519491231002X', () => {
    assert.deepEqual(validateIdNumber('11010519491231002X', TODAY), {
      ok: true,
      value: '11010519491231002X',
      regionCode: '110105',
      birthDate: '1949-12-31',
      sex: 'female',
    });
  });

  it('trims and upper-cases a trailing x', () => {
    const result = validateIdNumber('  11010519491231002x \n', TODAY);
    assert.equal(result.ok, true);
    assert.equal(result.ok && result.value, '11010519491231002X');
  });

  it('defaults today to now', () => {
    assert.equal(validateIdNumber('430903195603121233').ok, true);
    assert.equal(validateIdNumber(makeTestIdNumber('430903', '29991231', '123')).ok, false);
  });

  it('reports an empty input', () => {
    assert.equal(reasonOf(''), 'empty');
    assert.equal(reasonOf('   '), 'empty');
  });

  it('rejects 15-digit first-generation numbers with a clear message', () => {
    const result = validateIdNumber('430903560312123', TODAY);
    assert.deepEqual(result, {
      ok: false,
      reason: 'legacy_15_digit',
      message: {
        zh: '不再受理 15 位（第一代）身份证号码，请填写 18 位身份证号码',
        en: '15-digit (first-generation) ID numbers are no longer accepted; use the 18-digit number',
      },
    });
  });

  it('reports the wrong length', () => {
    assert.equal(reasonOf('43090319560312123'), 'wrong_length');
    assert.equal(reasonOf('4309031956031212333'), 'wrong_length');
    assert.equal(reasonOf('43090356031212X'), 'wrong_length');
    assert.equal(reasonOf('4309 0319 5603 1212 33'), 'wrong_length');
  });

  it('reports bad characters', () => {
    assert.equal(reasonOf('43090319560312123A'), 'bad_characters');
    assert.equal(reasonOf('4309031956031212X3'), 'bad_characters');
    assert.equal(reasonOf('43090319560312１２３'.padEnd(18, '3')), 'bad_characters');
    assert.equal(reasonOf('X30903195603121233'), 'bad_characters');
  });

  it('reports a region outside the province list', () => {
    assert.equal(reasonOf(makeTestIdNumber('000000', '19560312', '123')), 'bad_region');
    assert.equal(reasonOf(makeTestIdNumber('160000', '19560312', '123')), 'bad_region');
    assert.equal(reasonOf(makeTestIdNumber('830000', '19560312', '123')), 'bad_region');
    assert.equal(reasonOf(makeTestIdNumber('990000', '19560312', '123')), 'bad_region');
    for (const province of ['11', '15', '21', '37', '46', '54', '65', '71', '81', '82']) {
      assert.equal(reasonOf(makeTestIdNumber(`${province}0101`, '19560312', '123')), 'ok');
    }
  });

  it('reports impossible birth dates', () => {
    assert.equal(reasonOf(makeTestIdNumber('430903', '19990229', '123')), 'bad_birth_date');
    assert.equal(reasonOf(makeTestIdNumber('430903', '20000229', '123')), 'ok');
    assert.equal(reasonOf(makeTestIdNumber('430903', '19000229', '123')), 'bad_birth_date');
    assert.equal(reasonOf(makeTestIdNumber('430903', '19560431', '123')), 'bad_birth_date');
    assert.equal(reasonOf(makeTestIdNumber('430903', '19561301', '123')), 'bad_birth_date');
    assert.equal(reasonOf(makeTestIdNumber('430903', '19560001', '123')), 'bad_birth_date');
    assert.equal(reasonOf(makeTestIdNumber('430903', '19560100', '123')), 'bad_birth_date');
    assert.equal(reasonOf(makeTestIdNumber('430903', '18991231', '123')), 'bad_birth_date');
    assert.equal(reasonOf(makeTestIdNumber('430903', '19000101', '123')), 'ok');
  });

  it('reports a birth date after today', () => {
    assert.equal(reasonOf(makeTestIdNumber('430903', '20240602', '123')), 'future_birth_date');
    assert.equal(reasonOf(makeTestIdNumber('430903', '20240601', '123')), 'ok');
  });

  it('reports a wrong check character without revealing the right one', () => {
    const result = validateIdNumber('430903195603121234', TODAY);
    assert.deepEqual(result, {
      ok: false,
      reason: 'bad_check_character',
      message: {
        zh: '身份证号码校验位错误，请核对号码',
        en: 'wrong check character in the ID number; please check the number',
      },
    });
    assert.equal(reasonOf('110105194912310021'), 'bad_check_character');
    assert.equal(reasonOf('43090319560312123X'), 'bad_check_character');
  });
});

describe('maskIdNumber', () => {
  it('keeps the first 6 and last 4 of an 18-character number', () => {
    assert.equal(maskIdNumber('430903195603121234'), '430903********1234');
    assert.equal(maskIdNumber('11010519491231002X'), '110105********002X');
  });

  it('masks other lengths too', () => {
    assert.equal(maskIdNumber('430903560312123'), '430**********23');
    assert.equal(maskIdNumber('123456'), '123*56');
    assert.equal(maskIdNumber('12345'), '*****');
    assert.equal(maskIdNumber(''), '');
  });
});

describe('idNumberSchema', () => {
  it('answers the normalized number', () => {
    assert.deepEqual(idNumberSchema.safeParse(' 11010519491231002x '), {
      success: true,
      data: '11010519491231002X',
    });
  });

  it('fails with a bilingual message', () => {
    const result = idNumberSchema.safeParse('430903195603121234');
    assert.equal(result.success, false);
    assert.equal(result.error?.issues.length, 1);
    assert.equal(
      result.error?.issues[0]?.message,
      '身份证号码校验位错误，请核对号码‖wrong check character in the ID number; please check the number',
    );
    const legacy = idNumberSchema.safeParse('430903560312123');
    assert.ok(legacy.error?.issues[0]?.message.includes('‖'));
    assert.match(legacy.error?.issues[0]?.message ?? '', /15-digit/);
  });

  it('rejects non-strings', () => {
    assert.equal(idNumberSchema.safeParse(1234).success, false);
  });
});
