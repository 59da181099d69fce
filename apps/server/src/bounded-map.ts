/**
 * A Map that holds at most `max` entries: setting a new key when full forgets the oldest one
 * set. For the process-wide memos of things that never change once read (a published
 * version's content, a service point's region, an opened seal key), so that a long-running
 * server's memory stays bounded however many distinct keys it meets.
 */
export class BoundedMap<K, V> extends Map<K, V> {
  constructor(readonly max: number) {
    super();
    if (!Number.isInteger(max) || max < 1) throw new RangeError(`max must be ≥ 1, not ${max}`);
  }

  override set(key: K, value: V): this {
    if (!this.has(key) && this.size >= this.max) {
      const oldest = this.keys().next();
      if (!oldest.done) this.delete(oldest.value);
    }
    return super.set(key, value);
  }
}
