/**
 * The shared domain vocabularies the console offers in its pickers, taken from packages/core
 * itself (pure data, no I/O) so the labels and values never drift from what the server checks.
 */
export {
  APPLICANT_TYPES,
  CHANNELS,
  CROSS_REGION_SCOPES,
  DELIVERY_METHODS,
  DEPARTMENTS,
  ITEM_TYPES,
  LEVEL_LABELS,
  LEVELS,
  RESULT_TYPES,
  THEMES,
} from '../../../../../packages/core/src/catalog/vocab.ts';
export {
  GRANTABLE_ROLES,
  ROLE_LABELS,
  ROLES,
  type Role,
} from '../../../../../packages/core/src/roles.ts';

/** A vocabulary as Select options in the UI's language. */
export function optionsOf(
  vocab: Record<string, { zh: string; en: string }>,
  lang: string,
): { value: string; label: string }[] {
  return Object.entries(vocab).map(([value, l]) => ({
    value,
    label: lang === 'en' ? l.en : l.zh,
  }));
}
