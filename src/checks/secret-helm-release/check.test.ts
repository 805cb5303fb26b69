import { expect, it } from 'vitest';
import { runCheckOn, testCheck } from '../support/tester.js';
import { secretHelmRelease } from './check.js';

testCheck(secretHelmRelease, import.meta.dirname);

it('recognises a metadata-only record of a live cluster by its labels and name', () => {
  const r = runCheckOn(
    secretHelmRelease,
    `apiVersion: v1
kind: Secret
metadata:
  name: sh.helm.release.v1.db.v12
  namespace: data
  labels: {owner: helm, name: db, version: "12"}
`,
  );
  expect(r.findings.map((f) => [f.path, f.message])).toEqual([['metadata.name', expect.stringContaining('release "db" revision 12')]]);
});
