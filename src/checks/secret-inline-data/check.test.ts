import { expect, it } from 'vitest';
import { runCheckOn, testCheck } from '../support/tester.js';
import { secretInlineData } from './check.js';

testCheck(secretInlineData, import.meta.dirname);

it('never prints a value, in any field of the report', () => {
  const planted = ['pl4nted-inline-pass', 'AKIAPLANTEDSECRET001'];
  const r = runCheckOn(
    secretInlineData,
    `apiVersion: v1
kind: Secret
metadata: {name: s, namespace: x}
stringData: {password: ${planted[0]}}
data: {key: ${btoa(planted[1] ?? '')}}
`,
  );
  expect(r.findings).toHaveLength(1);
  expect(r.findings[0]?.severity).toBe('high');
  const out = JSON.stringify(r);
  for (const p of planted) expect(out).not.toContain(p);
});
