/**
 * Array helpers safe at any size: `a.push(...b)` and `Math.max(...b)` pass every element as an argument and throw
 * RangeError (call stack exceeded) somewhere past ~100,000 elements — one file of 200,000 documents, or a report
 * of 200,000 findings, must not crash kspect.
 */

/** Append every item of `items` to `target`, in order. */
export function appendAll<T>(target: T[], items: Iterable<T>): void {
  for (const item of items) target.push(item);
}

/** The largest of `values` and `floor` (Math.max without spreading). */
export function maxOf(values: Iterable<number>, floor = -Infinity): number {
  let m = floor;
  for (const v of values) if (v > m) m = v;
  return m;
}
