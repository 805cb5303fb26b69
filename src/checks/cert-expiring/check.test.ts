import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TEST_SETTINGS, runCheckOn, testCheck } from '../support/tester.js';
import { certExpiring } from './check.js';

testCheck(certExpiring, import.meta.dirname);

describe('cert-expiring message', () => {
  // The fixture's leaf expires on 2026-06-15T00:00:00Z.
  const text = readFileSync(join(import.meta.dirname, 'fixtures/fail/secret-expires-in-two-weeks.yaml'), 'utf8');
  const at = (iso: string): string[] => runCheckOn(certExpiring, text, 'fixture.yaml', undefined, { ...TEST_SETTINGS, now: new Date(iso) }).findings.map((f) => f.message);
  it('counts days in the number the count takes', () => {
    expect(at('2026-06-01T00:00:00Z')[0]).toMatch(/, in 14 days$/);
    expect(at('2026-06-13T12:00:00Z')[0]).toMatch(/, in 1 day$/);
    expect(at('2026-06-14T12:00:00Z')[0]).toMatch(/, in less than a day$/);
  });
});
