/**
 * Coverage against the peers, as data. Every security check of kube-linter, Polaris, kube-score, kubesec, kubeaudit,
 * Checkov, Trivy and kubescape recorded in test/fixtures/peers/catalogue.ts as firing on an object of ../shared/corpus
 * is matched by a kspect finding on the same object and field — with every check on, opt-in ones included — or the
 * table says why kspect deliberately differs. Beside it, the Polaris fixtures of the checks whose semantics kspect's
 * newer checks share (../shared/conformance/polaris-checks) must get the same verdict.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkManifests } from '../src/api/scan.js';
import { EMPTY_CONFIG } from '../src/core/config.js';
import type { Finding } from '../src/core/finding.js';
import type { Report } from '../src/core/report.js';
import type { AnyCheck } from '../src/framework/define.js';
import { allChecks } from '../src/checks/index.js';
import { runCheckOn } from '../src/checks/support/tester.js';
import { configmapCredentialKeys } from '../src/checks/configmap-credential-keys/check.js';
import { podEnvLiteralSecret } from '../src/checks/pod-env-literal-secret/check.js';
import { reliabilityProbesMissing } from '../src/checks/reliability-probes-missing/check.js';
import { OWN_FACTS, PEER_FACTS, type PeerFact } from './fixtures/peers/catalogue.js';

const CORPUS = fileURLToPath(new URL('../../shared/corpus/', import.meta.url));
const POLARIS = fileURLToPath(new URL('../../shared/conformance/polaris-checks/checks/', import.meta.url));
const REPO = fileURLToPath(new URL('../', import.meta.url));

const reports = new Map<string, Report>();
async function scan(folder: string): Promise<Report> {
  let r = reports.get(folder);
  if (!r) {
    r = await checkManifests({
      paths: [join(CORPUS, folder)],
      config: { ...EMPTY_CONFIG, enable: ['*'] },
      settings: { pss: { level: 'restricted', version: 'latest' }, now: new Date('2026-12-06T00:00:00Z') },
      cwd: REPO,
      toolVersion: 'test',
    });
    reports.set(folder, r);
  }
  return r;
}

function sameObject(f: Finding, object: string): boolean {
  const [kind, namespace, name] = object.split('/');
  const r = f.resource;
  return r !== undefined && r.kind === kind && (r.namespace ?? '') === namespace && r.name === name;
}

/** The peer's field and kspect's path name the same place when one is a prefix of the other. */
function sameField(f: Finding, field: string | undefined): boolean {
  if (field === undefined || f.path === undefined) return true;
  return f.path === field || f.path.startsWith(field) || field.startsWith(f.path);
}

function matches(f: Finding, fact: PeerFact): boolean {
  const ids = [f.checkId, ...(f.alsoReportedBy ?? [])];
  return (fact.kspect ?? []).some((id) => ids.includes(id)) && sameObject(f, fact.kspectObject ?? fact.object) && sameField(f, fact.field);
}

function yamlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((d) => d.isFile() && /\.ya?ml$/.test(d.name))
    .map((d) => join(d.parentPath, d.name));
}

const available = existsSync(CORPUS);

describe.skipIf(!available)('peer catalogues on the corpus', () => {
  it('the table is well formed: each fact has kspect checks or a reason, and names checks kspect has', () => {
    const known = new Set(allChecks.map((c) => c.id));
    for (const fact of PEER_FACTS) {
      expect((fact.kspect !== undefined) !== (fact.differs !== undefined), `${fact.peer} ${fact.check}: kspect checks xor a reason`).toBe(true);
      for (const id of fact.kspect ?? []) expect(known.has(id), `${id} is a kspect check`).toBe(true);
      if (fact.differs !== undefined) expect(fact.differs.length).toBeGreaterThan(40);
    }
    // Every peer of the issue is represented.
    expect(new Set(PEER_FACTS.map((f) => f.peer))).toEqual(new Set(['kube-linter', 'polaris', 'kube-score', 'kubesec', 'kubeaudit', 'checkov', 'trivy', 'kubescape']));
  });

  for (const folder of [...new Set(PEER_FACTS.map((f) => f.folder))].sort()) {
    it(`${folder}: kspect reports what the peers report, on the same object and field`, async () => {
      const report = await scan(folder);
      const missed = PEER_FACTS.filter((f) => f.folder === folder && f.kspect !== undefined && !report.findings.some((x) => matches(x, f))).map((f) => `${f.peer} ${f.check} ${f.object} ${f.field ?? ''} → ${(f.kspect ?? []).join('|')}`);
      expect(missed).toEqual([]);
    }, 120_000);
  }

  for (const fact of OWN_FACTS)
    it(`${fact.folder}: ${fact.object} ${fact.field} (no peer reports it: ${fact.why})`, async () => {
      const report = await scan(fact.folder);
      const found = report.findings.filter((f) => fact.kspect.includes(f.checkId) && sameObject(f, fact.object) && sameField(f, fact.field));
      // The folder may hold the manifest more than once (base and rendered): each copy is reported.
      expect(found.length).toBeGreaterThan(0);
      expect(new Set(found.map((f) => f.checkId))).toEqual(new Set(fact.kspect));
    }, 120_000);

  it('the deliberate differences still name objects of the corpus', () => {
    for (const fact of PEER_FACTS.filter((f) => f.differs !== undefined)) {
      const name = fact.object.split('/')[2] ?? '';
      const text = yamlFiles(join(CORPUS, fact.folder)).map((p) => readFileSync(p, 'utf8'));
      expect(text.some((t) => t.includes(`name: ${name}`)), `${fact.folder}: ${fact.object}`).toBe(true);
    }
  });
});

/** Polaris check → the kspect check with the same semantics, and the fixtures where kspect differs on purpose. */
const POLARIS_MATCHING: readonly { readonly polaris: string; readonly check: AnyCheck; readonly differences: Readonly<Record<string, string>> }[] = [
  { polaris: 'sensitiveConfigmapContent', check: configmapCredentialKeys, differences: {} },
  { polaris: 'sensitiveContainerEnvVar', check: podEnvLiteralSecret, differences: {} },
  {
    polaris: 'livenessProbeMissing',
    check: reliabilityProbesMissing,
    differences: { 'failure.yaml': 'a bare Pod: kspect judges probes on the pods of serving controllers only (a bare Pod is a one-off)' },
  },
  {
    polaris: 'readinessProbeMissing',
    check: reliabilityProbesMissing,
    differences: { 'failure.yaml': 'a bare Pod: kspect judges probes on the pods of serving controllers only (a bare Pod is a one-off)' },
  },
];

describe.skipIf(!existsSync(POLARIS))('Polaris fixtures of the matching checks', () => {
  for (const { polaris, check, differences } of POLARIS_MATCHING) {
    it(`${polaris} ≙ ${check.id}`, () => {
      const dir = join(POLARIS, polaris);
      const files = readdirSync(dir).filter((f) => /^(success|failure)/.test(f));
      expect(files.length).toBeGreaterThan(1);
      const disagree: string[] = [];
      for (const f of files) {
        const polarisFails = f.startsWith('failure');
        let kspectFails: boolean;
        try {
          kspectFails = runCheckOn(check, readFileSync(join(dir, f), 'utf8'), f).findings.length > 0;
        } catch {
          // A fixture the loader refuses (not valid Kubernetes YAML) says nothing about the check.
          continue;
        }
        const agrees = kspectFails === polarisFails;
        if (!agrees && differences[f] === undefined) disagree.push(`${f}: Polaris ${polarisFails ? 'fails' : 'passes'}, kspect ${kspectFails ? 'fails' : 'passes'}`);
        if (agrees && differences[f] !== undefined) disagree.push(`${f}: documented as a difference but kspect now agrees`);
      }
      expect(disagree).toEqual([]);
    });
  }
});
