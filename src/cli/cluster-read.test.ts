import { describe, expect, it } from 'vitest';
import { progressText } from './inputs.js';
import { durationArg, NO_LIMIT_MS } from './options.js';

describe('durationArg (kubectl --request-timeout syntax)', () => {
  it('reads ms, s, m, h, Go compounds and bare whole seconds', () => {
    expect(durationArg('500ms', '--t')).toBe(500);
    expect(durationArg('1.5s', '--t')).toBe(1500);
    expect(durationArg('2m', '--t')).toBe(120_000);
    expect(durationArg('1h', '--t')).toBe(3_600_000);
    expect(durationArg('1h30m', '--t')).toBe(5_400_000);
    expect(durationArg('1m0.5s', '--t')).toBe(60_500);
    expect(durationArg('30', '--t')).toBe(30_000);
    expect(durationArg(' 30s ', '--t')).toBe(30_000);
    expect(durationArg(undefined, '--t')).toBeUndefined();
  });
  it('a fraction of a millisecond rounds up: only 0 means no limit', () => {
    expect(durationArg('500us', '--t')).toBe(1);
    expect(durationArg('1ns', '--t')).toBe(1);
  });
  it('0 (with or without a unit) is no limit', () => {
    for (const v of ['0', '0s', '0ms', '0h0m']) expect(durationArg(v, '--t')).toBe(NO_LIMIT_MS);
  });
  it('refuses negatives, unitless fractions, unknown units, garbage and more than a timer can wait — one line naming the flag and value', () => {
    for (const v of ['-1', '-1s', '1.5', 'soon', '1d', '', 's', '10x', '1e3s', '1e9h', '597h', '30s ms', '1h-2m']) {
      let message = '';
      try {
        durationArg(v, '--request-timeout');
      } catch (e) {
        message = (e as Error).message;
      }
      expect(message, v).toMatch(new RegExp(`^--request-timeout ${JSON.stringify(v).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: `));
      expect(message).toContain('0 = no limit');
      expect(message).not.toContain('\n');
    }
  });
  it('linear on long input (no backtracking)', () => {
    expect(() => durationArg(`${'1'.repeat(200_000)}x`, '--t')).toThrow('--t');
    expect(() => durationArg('1h'.repeat(100_000), '--t')).toThrow('too long');
  });
});

describe('progressText', () => {
  it('lists, objects, the kinds with most objects first, elapsed time', () => {
    const byKind = new Map([
      ['Service', 210],
      ['Pod', 1200],
      ['Deployment', 300],
      ['ConfigMap', 12],
      ['Secret', 0],
    ]);
    expect(progressText({ resourcesDone: 12, resourcesTotal: 40, objects: 1722, byKind }, 4230)).toBe('12/40 lists · 1722 objects (Pod 1200, Deployment 300, Service 210, …) · 4.2 s');
    expect(progressText({ resourcesDone: 0, resourcesTotal: 0, objects: 0, byKind: new Map() }, 0)).toBe('0/0 lists · 0 objects · 0.0 s');
  });
});
