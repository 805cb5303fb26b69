/**
 * What `kspect audit policy-check` puts in the inventory: one `AuditPolicyFile` per policy file, holding its text and
 * the Kubernetes version it is judged for. The engine below loads and lints each one once per run (exactly as
 * kube-apiserver of that version would load it), and the audit-policy-* checks report from that analysis, so
 * suppression, configuration, baselines and every report format work unchanged.
 */
import type { FileLocation, ResourceRef, SourceRef } from '../../core/finding.js';
import type { EngineFactory } from '../../framework/define.js';
import type { Inventory } from '../../model/inventory.js';
import { getObject, getString, toK8sObject, type JsonObject, type K8sObject } from '../../model/object.js';
import { lintAuditPolicy, type LintIssue } from './lint.js';
import { loadAuditPolicy, type LoadedPolicy } from './load.js';
import { LATEST_MINOR, minorOf } from './versions.js';

export const AUDIT_API_VERSION = 'kspect.dev/v1alpha1';
export const AUDIT_POLICY_FILE = 'AuditPolicyFile';

/** The inventory object of a policy file. `file` is where findings point; `text` is the whole file. */
export function auditPolicyFileObject(file: string, text: string, k8sVersion: string | undefined, source: SourceRef): K8sObject {
  const raw: JsonObject = {
    apiVersion: AUDIT_API_VERSION,
    kind: AUDIT_POLICY_FILE,
    metadata: { name: file },
    spec: { file, text, ...(k8sVersion !== undefined ? { k8sVersion } : {}) },
  };
  return toK8sObject(raw, { source, location: { file, line: 1, column: 1 }, locate: () => ({ file, line: 1, column: 1 }) }) as K8sObject;
}

export interface PolicyAnalysis {
  readonly loaded: LoadedPolicy;
  /** Lint issues of the loaded policy (none when the server would refuse it). */
  readonly issues: readonly LintIssue[];
  /** Where line N of the policy text is. */
  locate(line: number | undefined): FileLocation | undefined;
  /** The Policy the findings are about. */
  readonly resource: ResourceRef;
  readonly source: SourceRef;
}

function analyze(obj: K8sObject): PolicyAnalysis | undefined {
  const spec = getObject(obj.raw, 'spec');
  const text = getString(spec, 'text');
  if (text === undefined) return undefined;
  const minor = minorOf(getString(spec, 'k8sVersion')) ?? LATEST_MINOR;
  const loaded = loadAuditPolicy(text, { minor });
  const file = getString(spec, 'file');
  // An embedded policy (a check fixture) starts on the line after `text: |`.
  const textLine = file === undefined ? obj.origin.locate('spec.text')?.line : undefined;
  const where = file ?? obj.origin.location?.file ?? obj.metadata.name;
  return {
    loaded,
    issues: loaded.policy ? lintAuditPolicy(loaded.policy) : [],
    locate: (line) => (line === undefined ? undefined : { file: where, line: textLine !== undefined ? textLine + line : line, column: 1 }),
    resource: { apiVersion: 'audit.k8s.io/v1', kind: 'Policy', name: obj.metadata.name },
    source: obj.origin.source,
  };
}

/** Loads and lints every AuditPolicyFile of the run once. */
export const auditPolicyAnalysis: EngineFactory<ReadonlyMap<K8sObject, PolicyAnalysis>> = {
  id: 'audit-policy-analysis',
  reads: [AUDIT_POLICY_FILE],
  build(inventory: Inventory) {
    const out = new Map<K8sObject, PolicyAnalysis>();
    for (const o of inventory.ofKind(AUDIT_POLICY_FILE)) {
      const a = analyze(o);
      if (a) out.set(o, a);
    }
    return out;
  },
};

/** The line of the rule an issue is about, else of the field. */
export function issueLine(a: PolicyAnalysis, issue: { readonly rule?: number; readonly line?: number }): number | undefined {
  if (issue.line !== undefined) return issue.line;
  return issue.rule !== undefined ? a.loaded.ruleLines[issue.rule] : undefined;
}
