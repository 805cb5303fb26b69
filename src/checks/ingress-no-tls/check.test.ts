import { describe, expect, it } from 'vitest';
import { testCheck } from '../support/tester.js';
import { ingressNoTls, tlsCovers } from './check.js';

testCheck(ingressNoTls, import.meta.dirname);

describe('tlsCovers', () => {
  it.each([
    ['shop.example.com', 'shop.example.com', true],
    ['Shop.Example.com', 'shop.example.COM', true],
    ['*.example.com', 'shop.example.com', true],
    ['*.example.com', 'a.shop.example.com', false],
    ['*.example.com', 'example.com', false],
    ['*.example.com', '*.example.com', true],
    ['shop.example.com', 'api.example.com', false],
  ])('%s covers %s: %s', (t, h, want) => {
    expect(tlsCovers(t, h)).toBe(want);
  });
});
