import { todayInChina } from '@yimen/core';
import { late } from '../../db/late-writes.ts';
import type { CaseSubscriber } from '../../facts.ts';
import { bumpMonth, monthOf } from './stats.repo.ts';

/**
 * The figures' part in every case step: what the step adds to this month's row for the place
 * that received the case (stored at township level: villages roll up into it), its item and
 * its channel. Written last (db/late-writes.ts): the township's and county's counter rows are
 * the hottest a step touches.
 */
export const figuresOnCaseStep: CaseSubscriber = async (trx, fact) => {
  if (Object.keys(fact.counters).length === 0) return;
  await late(trx, () =>
    bumpMonth(
      trx,
      {
        regionCode: fact.case.receivedRegion.slice(0, 9),
        itemCode: fact.case.itemCode,
        channel: fact.case.channel,
        month: monthOf(todayInChina()),
      },
      fact.counters,
    ),
  );
};
