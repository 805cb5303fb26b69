import { describe, expect, it } from 'vitest';
import { progressText } from './inputs.js';
import { durationArg } from './options.js';

describe('durationArg', () => {
  it('reads ms, s, m, h and bare seconds', () => {
    expect(durationArg('500ms', '--t')).toBe(500);
    expect(durationArg('1.5s', '--t')).toBe(1500);
    expect(durationArg('2m', '--t')).toBe(120_000);
    expect(durationArg('1h', '--t')).toBe(3_600_000);
    expect(durationArg('30', '--t')).toBe(30_000);
    expect(durationArg(undefined, '--t')).toBeUndefined();
  });
  it('refuses zero, negatives, garbage and more than setTimeout can wait', () => {
    for (const v of ['0', '0s', '-1s', 'soon', '1d', '', '1e3s', '999h']) expect(() => durationArg(v, '--timeout')).toThrow('--timeout must be a positive duration such as 500ms, 30s or 2m');
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
