import { todayInChina } from '@yimen/core';

/**
 * The queue's idea of now. Every time a ticket records (issued, called, started, finished)
 * comes from here rather than from the database's now(), so tests can set the hall's clock
 * and check waiting and serving times to the second, and the daily reset of numbers.
 */
export const queueClock = {
  now: (): Date => new Date(),
};

/** Today's date in China (Asia/Shanghai), by the queue's clock: numbers restart each day. */
export function queueToday(now: Date = queueClock.now()): string {
  return todayInChina(now);
}
