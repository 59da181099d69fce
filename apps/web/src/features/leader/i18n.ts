/** Strings of the leader screens: t('leader.…'). Chinese first; English mirrors every key. */
export const leaderZh = {
  title: '数据看板',
};

export const leaderEn: typeof leaderZh = {
  title: 'Figures',
};
