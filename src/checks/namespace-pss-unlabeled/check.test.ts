import { expect, it } from 'vitest';
import { runCheckOn, testCheck } from '../support/tester.js';
import { namespacePssUnlabeled } from './check.js';

testCheck(namespacePssUnlabeled, import.meta.dirname);

it('grades unlabeled above privileged above invalid', () => {
  const ns = (name: string, labels: string) => `---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${name}\n${labels}`;
  const text = [ns('a', ''), ns('b', '  labels: {pod-security.kubernetes.io/enforce: privileged}\n'), ns('c', '  labels: {pod-security.kubernetes.io/enforce: nope}\n')].join('');
  const r = runCheckOn(namespacePssUnlabeled, text);
  expect(r.findings.map((f) => [f.resource?.name, f.severity])).toEqual([
    ['a', 'medium'],
    ['b', 'low'],
    ['c', 'info'],
  ]);
});
