import { describe, expect, it } from 'vitest';
import { counted } from './text.js';

describe('counted', () => {
  it('puts the noun in the number the count takes', () => {
    expect(counted(0, 'day')).toBe('0 days');
    expect(counted(1, 'day')).toBe('1 day');
    expect(counted(2, 'day')).toBe('2 days');
    expect(counted(1, 'policy', 'policies')).toBe('1 policy');
    expect(counted(3, 'policy', 'policies')).toBe('3 policies');
  });
});
