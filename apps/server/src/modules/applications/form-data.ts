import { formToZod, type ItemContent, maskIdNumber } from '@yimen/core';
import type { PersonalDataCipher } from '../../crypto/keys.ts';
import { AppError } from '../../errors.ts';
import { toFieldErrors } from '../../http/validation.ts';

/**
 * Validates form data against the pinned version's form, naming each bad field as
 * `body.formData.<key>`, then splits out ID numbers: the stored form holds them masked,
 * their ciphertexts go in a separate column, so no ID number is in clear in the case.
 */
export function checkFormData(
  content: ItemContent,
  data: Record<string, unknown>,
  cipher: PersonalDataCipher,
  field = 'formData',
): { formData: Record<string, unknown>; sealed: Record<string, string> | null } {
  const parsed = formToZod(content.form).safeParse(data);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({
      keyword: i.code,
      instancePath: `/${[field, ...i.path].join('/')}`,
      schemaPath: '',
      params: { ...i } as Record<string, unknown>,
      message: i.message,
    }));
    throw new AppError('VALIDATION_FAILED', {}, toFieldErrors(issues, 'body'));
  }
  const formData: Record<string, unknown> = { ...parsed.data };
  const sealed: Record<string, string> = {};
  for (const f of content.form.fields) {
    const v = formData[f.key];
    if (f.type === 'idNumber' && typeof v === 'string') {
      sealed[f.key] = cipher.encrypt(v);
      formData[f.key] = maskIdNumber(v);
    }
  }
  return { formData, sealed: Object.keys(sealed).length ? sealed : null };
}
