import { describe, expect, it } from 'vitest';
import { getStringMap } from './object.js';

describe('getStringMap', () => {
  it('keeps string values, drops the rest', () => {
    expect(getStringMap({ labels: { app: 'web', n: 1, b: true } }, 'labels')).toEqual({ app: 'web' });
    expect(getStringMap({}, 'labels')).toEqual({});
  });
  it('copies a key named __proto__ as a key, without touching the prototype', () => {
    const source: unknown = JSON.parse('{"labels": {"__proto__": "x", "toString": "y"}}');
    const labels = getStringMap(source, 'labels');
    expect(Object.keys(labels)).toEqual(['__proto__', 'toString']);
    expect(Object.hasOwn(labels, '__proto__')).toBe(true);
    expect(Object.getOwnPropertyDescriptor(labels, '__proto__')?.value).toBe('x');
    expect(Object.getPrototypeOf(labels)).toBe(Object.prototype);
  });
});
