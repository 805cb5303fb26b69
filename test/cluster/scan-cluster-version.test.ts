/**
 * `kspect scan --cluster` judges for the cluster's own Kubernetes version (its /version) unless --k8s-version says
 * otherwise: proved on the testbed's kube-apiserver (v1.35) with cluster-version-eol. The CLI has no clock option, so
 * the end-of-life case runs the real CLI with its clock moved past 1.35's end of life by a preloaded module (the
 * only fake here: the date).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/core/report.js';
import { runCli } from '../support/cli.js';
import { startTestbed, testbedUnavailable, type Testbed } from '../testbed/testbed.js';

const skip = testbedUnavailable();

/** A preload that fixes `new Date()` and `Date.now()` at 2027-03-15 (1.35's end of life is 2027-02-28). */
const LATER = `data:text/javascript,${encodeURIComponent(
  "const R = Date; const t = R.parse('2027-03-15T00:00:00Z'); globalThis.Date = class extends R { constructor(...a) { if (a.length === 0) super(t); else super(...a); } static now() { return t; } };",
)}`;

describe.skipIf(skip !== undefined)('scan --cluster judges for the cluster\'s version', () => {
  let tb: Testbed;
  beforeAll(async () => {
    tb = await startTestbed();
  }, 300_000);
  afterAll(async () => {
    await tb.stop();
  });

  const eol = async (extra: readonly string[], later: boolean): Promise<Report> => {
    const r = await runCli(['scan', '--cluster', '--kubeconfig', tb.kubeconfig, '--checks', 'cluster-version-eol', '-f', 'json', '--fail-on', 'none', ...extra], later ? { nodeArgs: ['--import', LATER] } : {});
    expect(r.code, r.stderr).toBe(0);
    return JSON.parse(r.stdout) as Report;
  };

  it('past 1.35\'s end of life the testbed\'s v1.35 is reported, from its /version', { timeout: 120_000 }, async () => {
    const r = await eol([], true);
    expect(r.findings.map((f) => [f.checkId, f.resource?.name])).toEqual([['cluster-version-eol', 'v1.35']]);
  });
  it('--k8s-version wins over the cluster\'s version', { timeout: 120_000 }, async () => {
    expect((await eol(['--k8s-version', '1.99'], true)).findings).toEqual([]);
  });
  it('today (before 2027-02-28) v1.35 is supported', { timeout: 120_000 }, async () => {
    const r = await eol([], false);
    const supported = new Date().getTime() < Date.parse('2027-02-28T23:59:59Z');
    expect(r.findings.length).toBe(supported ? 0 : 1);
  });
});
