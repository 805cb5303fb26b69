import { expect, it } from 'vitest';
import { runCheckOn, testCheck } from '../support/tester.js';
import { secretSaTokenLongLived } from './check.js';

testCheck(secretSaTokenLongLived, import.meta.dirname);

it('never puts the token into the finding', () => {
  const token = Buffer.from('eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJrdWJlcm5ldGVzIn0.c2lnbmF0dXJlLXBsYW50ZWQtMTIzNDU2').toString('base64');
  const text = `apiVersion: v1
kind: Secret
metadata:
  name: t
  namespace: x
  annotations: {kubernetes.io/service-account.name: deployer}
type: kubernetes.io/service-account-token
data:
  token: ${token}
`;
  const r = runCheckOn(secretSaTokenLongLived, text);
  expect(r.findings).toHaveLength(1);
  expect(JSON.stringify(r)).not.toContain(token);
});
