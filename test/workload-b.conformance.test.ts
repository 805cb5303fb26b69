/**
 * The service-account, secret, image, resource and exposure checks against Polaris' per-check fixtures
 * (../shared/conformance/polaris-checks, see its PROVENANCE.md): for each Polaris check that one of ours
 * covers, every `failure*` file must be flagged by our check and no `success*` file may be. Where
 * Kubernetes' own semantics differ from Polaris' schema, the file is listed below with the reason, and
 * the test asserts that we do *not* flag it — so the exception is deliberate and cannot drift.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Finding } from '../src/core/finding.js';
import type { AnyCheck } from '../src/framework/define.js';
import { runCheckOn } from '../src/checks/support/tester.js';
import { configmapCredentialKeys } from '../src/checks/configmap-credential-keys/check.js';
import { imageLatestTag } from '../src/checks/image-latest-tag/check.js';
import { imagePullPolicy } from '../src/checks/image-pull-policy/check.js';
import { ingressNoTls } from '../src/checks/ingress-no-tls/check.js';
import { podEnvLiteralSecret } from '../src/checks/pod-env-literal-secret/check.js';
import { podResourcesMissing } from '../src/checks/pod-resources-missing/check.js';
import { podSaTokenAutomount } from '../src/checks/pod-sa-token-automount/check.js';
import { REPO_ROOT } from './support/cli.js';

function polarisDir(): string | undefined {
  for (let dir = REPO_ROOT; ; dir = dirname(dir)) {
    const candidate = join(dir, 'shared', 'conformance', 'polaris-checks', 'checks');
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) return undefined;
  }
}

interface Mapping {
  readonly check: AnyCheck;
  /** For pod-resources-missing: the field the Polaris check is about (findings name their missing fields in the evidence). */
  readonly field?: string;
}

/** Polaris check → ours. */
const MAPPING: Readonly<Record<string, Mapping>> = {
  automountServiceAccountToken: { check: podSaTokenAutomount },
  sensitiveConfigmapContent: { check: configmapCredentialKeys },
  sensitiveContainerEnvVar: { check: podEnvLiteralSecret },
  tagNotSpecified: { check: imageLatestTag },
  pullPolicyNotAlways: { check: imagePullPolicy },
  tlsSettingsMissing: { check: ingressNoTls },
  cpuLimitsMissing: { check: podResourcesMissing, field: 'limits.cpu' },
  memoryLimitsMissing: { check: podResourcesMissing, field: 'limits.memory' },
  cpuRequestsMissing: { check: podResourcesMissing, field: 'requests.cpu' },
  memoryRequestsMissing: { check: podResourcesMissing, field: 'requests.memory' },
};

/** Failure files we deliberately do not flag, with the Kubernetes semantics that decide it. */
const NOT_FLAGGED: Readonly<Record<string, string>> = {
  'pullPolicyNotAlways/failure.yaml':
    'image "nginx" has no tag: the API server defaults imagePullPolicy to Always (effective tag latest); Polaris only requires the field to be written. image-latest-tag reports the tag.',
  'pullPolicyNotAlways/failure.cron-job.yaml': 'image "busybox" has no tag: imagePullPolicy defaults to Always, as above.',
};

const root = polarisDir();

describe.skipIf(root === undefined)('workload checks against the Polaris check fixtures', () => {
  const cases = Object.entries(MAPPING).flatMap(([polaris, mapping]) =>
    readdirSync(join(root ?? '', polaris))
      .filter((f) => /^(success|failure)/.test(f))
      .sort()
      .map((f) => ({ polaris, mapping, file: `${polaris}/${f}`, outcome: f.startsWith('success') ? ('success' as const) : ('failure' as const) })),
  );

  it('finds the fixtures of every mapped check', () => {
    for (const polaris of Object.keys(MAPPING)) {
      expect(cases.filter((c) => c.polaris === polaris && c.outcome === 'failure').length, polaris).toBeGreaterThan(0);
      expect(cases.filter((c) => c.polaris === polaris && c.outcome === 'success').length, polaris).toBeGreaterThan(0);
    }
    expect(cases.length).toBe(43);
  });

  const relevant = (findings: readonly Finding[], field: string | undefined): Finding[] =>
    field === undefined ? [...findings] : findings.filter((f) => (f.evidence ?? '').split(/[ ,:]+/).includes(field));

  for (const c of cases) {
    it(`${c.file}: ${c.outcome === 'failure' ? (NOT_FLAGGED[c.file] !== undefined ? 'not flagged (documented difference)' : 'flagged') : 'not flagged'} by ${c.mapping.check.id}`, () => {
      const text = readFileSync(join(root ?? '', c.file), 'utf8');
      const report = runCheckOn(c.mapping.check, text, c.file);
      expect(report.notEvaluated.filter((n) => n.reason === 'check-error')).toEqual([]);
      const hits = relevant(report.findings, c.mapping.field);
      if (c.outcome === 'failure' && NOT_FLAGGED[c.file] === undefined) expect(hits.length).toBeGreaterThan(0);
      else expect(hits.map((f) => f.message)).toEqual([]);
    });
  }

  it('every documented difference names a failure file that exists', () => {
    for (const file of Object.keys(NOT_FLAGGED)) expect(cases.some((c) => c.file === file && c.outcome === 'failure'), file).toBe(true);
  });
});
