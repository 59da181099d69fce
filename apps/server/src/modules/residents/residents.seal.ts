import { maskIdNumber } from '@yimen/core';
import type { PersonalDataCipher } from '../../crypto/keys.ts';

/**
 * The three stored forms of an ID number — ciphertext, lookup HMAC, masked — made in one
 * place, so that every path that stores a resident stores the same things.
 */
export function sealIdNumber(cipher: PersonalDataCipher, idNumber: string) {
  return {
    id_number_cipher: cipher.encrypt(idNumber),
    id_number_hmac: cipher.lookupHash(idNumber),
    id_number_masked: maskIdNumber(idNumber),
  };
}
