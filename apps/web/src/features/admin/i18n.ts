/** Strings of the admin screens: t('admin.…'). Chinese first; English mirrors every key. */
export const adminZh = {
  title: '管理后台',
};

export const adminEn: typeof adminZh = {
  title: 'Administration',
};
