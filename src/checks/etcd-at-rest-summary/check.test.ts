import { describe, expect, it } from 'vitest';
import { runCheckOn, testCheck } from '../support/tester.js';
import { etcdAtRestSummary } from './check.js';

testCheck(etcdAtRestSummary, import.meta.dirname);

describe('etcd-at-rest-summary', () => {
  it('counts values per resource by provider, key and verdict', () => {
    const v = (name: string, provider: string, keyName: string, verdict: string, stored = 'encrypted') =>
      `apiVersion: kspect.dev/v1alpha1\nkind: EtcdValue\nmetadata: {name: /registry/secrets/default/${name}}\nspec: {key: /registry/secrets/default/${name}, group: "", resource: secrets, namespace: default, name: ${name}, stored: ${stored}, provider: ${provider}, keyName: ${keyName}, verdict: ${verdict}, detail: x, endpoint: "https://127.0.0.1:2379"}\n`;
    const text = [v('a', 'aesgcm', 'k2', 'current'), v('b', 'aesgcm', 'k2', 'current'), v('c', 'aescbc', 'k1', 'stale'), v('d', 'identity', 'protobuf', 'plaintext', 'plaintext')].join('---\n');
    const report = runCheckOn(etcdAtRestSummary, text);
    expect(report.findings.map((f) => f.message)).toEqual(['secrets: 4 values — 1 aescbc/k1 (stale), 2 aesgcm/k2 (current), 1 plaintext protobuf (plaintext)']);
  });
});
