/**
 * Manifests are read as Kubernetes reads them, end to end through the built CLI: YAML 1.1 booleans and integers
 * (`privileged: yes`, `hostNetwork: on`, `runAsUser: 0b0`) make a pod privileged for `scan` and `pss check`.
 */
import { describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';

const POD = `apiVersion: v1
kind: Pod
metadata: {name: yaml11, namespace: default}
spec:
  hostNetwork: on
  containers:
  - name: c
    image: nginx:1.27
    securityContext:
      privileged: yes
      runAsUser: 0b0
`;

describe('YAML 1.1 scalars in manifests', () => {
  it('scan reports privileged: yes and hostNetwork: on', async () => {
    const r = await runCli(['scan', '-', '--format', 'json'], { stdin: POD });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    const ids = (JSON.parse(r.stdout) as { findings: { checkId: string; path?: string }[] }).findings.map((f) => `${f.checkId} ${f.path ?? ''}`);
    expect(ids).toEqual(expect.arrayContaining([expect.stringMatching(/^pod-privileged /), expect.stringMatching(/^pod-host-network /)]));
  });
  it('pss check denies the pod', async () => {
    const r = await runCli(['pss', 'check', '--level', 'baseline', '-'], { stdin: POD });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/privileged/);
    expect(r.stdout).toMatch(/host/i);
  });
});
