/** Strings of the hall screens: t('hall.…'). Chinese first; English mirrors every key. */
export const hallZh = {
  title: '取号叫号',
};

export const hallEn: typeof hallZh = {
  title: 'Queue',
};
