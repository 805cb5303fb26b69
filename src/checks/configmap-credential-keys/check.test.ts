import { expect, it } from 'vitest';
import { runCheckOn, testCheck } from '../support/tester.js';
import { configmapCredentialKeys } from './check.js';

testCheck(configmapCredentialKeys, import.meta.dirname);

it('never prints a value', () => {
  const planted = ['pl4nted-cm-pass', 'AKIAPLANTEDCM0000001', 'pl4nted-file-secret'];
  const text = `apiVersion: v1
kind: ConfigMap
metadata: {name: c, namespace: x}
data:
  db_password: ${planted[0]}
  uploader: ${planted[1]}
  app.properties: |
    db.user=app
    db.secret=${planted[2]}
`;
  const r = runCheckOn(configmapCredentialKeys, text);
  expect(r.findings).toHaveLength(3);
  const out = JSON.stringify(r);
  for (const p of planted) expect(out).not.toContain(p);
});
