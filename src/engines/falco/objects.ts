/**
 * What `kspect audit analyze` and `kspect audit coverage` put in the inventory: one `FalcoAlert` per alert a rule
 * raised on an audit event (rule, priority, the rendered output — credentials redacted —, the event's auditID, user,
 * verb, object and time, and whether the request was a dry run or the API server's own), and one
 * `FalcoRuleCoverage` per rule with what the audit policy hides from it. The audit-falco-* and audit-coverage-*
 * checks report from these, so every report format, suppression and baseline work unchanged.
 */
import type { FileLocation, ResourceRef, SourceRef } from '../../core/finding.js';
import type { Severity } from '../../core/severity.js';
import { getObject, getString, isObject, toK8sObject, type JsonObject, type K8sObject } from '../../model/object.js';
import type { CoverageGap, CoverageStatus, RuleCoverage } from './coverage.js';
import type { Priority } from './rules.js';

export const FALCO_API_VERSION = 'kspect.dev/v1alpha1';
export const FALCO_ALERT = 'FalcoAlert';
export const FALCO_RULE_COVERAGE = 'FalcoRuleCoverage';

/** Falco priority → kspect severity. */
export function severityOfPriority(p: string): Severity {
  switch (p) {
    case 'EMERGENCY':
    case 'ALERT':
    case 'CRITICAL':
      return 'critical';
    case 'ERROR':
      return 'high';
    case 'WARNING':
      return 'medium';
    case 'NOTICE':
      return 'low';
    default:
      return 'info';
  }
}

/** Why an alert is not about a real change: a server-side dry run, or the API server's own loopback request. */
export type AlertOrigin = 'request' | 'dry-run' | 'api-server';

export interface AlertView {
  readonly rule: string;
  readonly priority: Priority;
  readonly output: string;
  readonly time: string;
  readonly auditID: string;
  readonly stage: string;
  readonly user: string;
  readonly verb: string;
  readonly requestURI: string;
  readonly object?: { readonly group: string; readonly resource: string; readonly subresource?: string; readonly namespace?: string; readonly name?: string };
  readonly origin: AlertOrigin;
  readonly file: string;
  readonly line: number;
  readonly tags: readonly string[];
}

/** Whether a request was a server-side dry run (`?dryRun=All`). */
export function isDryRun(requestURI: string): boolean {
  const q = requestURI.indexOf('?');
  if (q < 0) return false;
  return requestURI
    .slice(q + 1)
    .split('&')
    .some((p) => /^dryRun=(All|all)$/.test(p));
}

export function originOf(ev: JsonObject): AlertOrigin {
  const uri = typeof ev.requestURI === 'string' ? ev.requestURI : '';
  if (isDryRun(uri)) return 'dry-run';
  const user = isObject(ev.user) ? ev.user.username : undefined;
  return user === 'system:apiserver' ? 'api-server' : 'request';
}

export function alertObject(a: AlertView): K8sObject {
  const raw: JsonObject = {
    apiVersion: FALCO_API_VERSION,
    kind: FALCO_ALERT,
    metadata: { name: `${a.rule}/${a.auditID}/${a.stage}`, ...(a.object?.namespace !== undefined && a.object.namespace !== '' ? { namespace: a.object.namespace } : {}) },
    spec: {
      rule: a.rule,
      priority: a.priority,
      output: a.output,
      time: a.time,
      auditID: a.auditID,
      stage: a.stage,
      user: a.user,
      verb: a.verb,
      requestURI: a.requestURI,
      ...(a.object ? { object: { ...a.object } } : {}),
      origin: a.origin,
      file: a.file,
      line: a.line,
      tags: [...a.tags],
    },
  };
  const location: FileLocation = { file: a.file, line: a.line, column: 1 };
  return toK8sObject(raw, { source: { type: 'file', uri: a.file }, location, locate: () => location }) as K8sObject;
}

export function readAlert(obj: K8sObject): AlertView | undefined {
  if (obj.kind !== FALCO_ALERT) return undefined;
  const s = getObject(obj.raw, 'spec');
  const rule = getString(s, 'rule');
  if (rule === undefined) return undefined;
  const o = getObject(s, 'object');
  const str = (k: string): string => getString(s, k) ?? '';
  const origin = str('origin');
  return {
    rule,
    priority: str('priority') as Priority,
    output: str('output'),
    time: str('time'),
    auditID: str('auditID'),
    stage: str('stage'),
    user: str('user'),
    verb: str('verb'),
    requestURI: str('requestURI'),
    ...(o
      ? {
          object: {
            group: getString(o, 'group') ?? '',
            resource: getString(o, 'resource') ?? '',
            ...(getString(o, 'subresource') !== undefined ? { subresource: getString(o, 'subresource') } : {}),
            ...(getString(o, 'namespace') !== undefined ? { namespace: getString(o, 'namespace') } : {}),
            ...(getString(o, 'name') !== undefined ? { name: getString(o, 'name') } : {}),
          },
        }
      : {}),
    origin: origin === 'dry-run' || origin === 'api-server' ? origin : 'request',
    file: str('file'),
    line: isObject(s) && typeof s.line === 'number' ? s.line : 1,
    tags: Array.isArray(s?.tags) ? s.tags.filter((t): t is string => typeof t === 'string') : [],
  } as AlertView;
}

const KINDS: Readonly<Record<string, string>> = {
  pods: 'Pod',
  secrets: 'Secret',
  configmaps: 'ConfigMap',
  namespaces: 'Namespace',
  services: 'Service',
  serviceaccounts: 'ServiceAccount',
  deployments: 'Deployment',
  roles: 'Role',
  rolebindings: 'RoleBinding',
  clusterroles: 'ClusterRole',
  clusterrolebindings: 'ClusterRoleBinding',
  nodes: 'Node',
  ingresses: 'Ingress',
};

/** The object an alert is about, for findings: `Pod default/nginx`; the request URI when there is none. */
export function alertResource(a: AlertView): ResourceRef {
  const o = a.object;
  if (!o || o.resource === '') return { apiVersion: FALCO_API_VERSION, kind: 'Request', name: a.requestURI.split('?')[0] ?? a.requestURI };
  const kind = KINDS[o.resource] ?? o.resource;
  return { apiVersion: o.group === '' ? 'v1' : o.group, kind: o.subresource !== undefined ? `${kind}/${o.subresource}` : kind, ...(o.namespace !== undefined && o.namespace !== '' ? { namespace: o.namespace } : {}), name: o.name ?? '' };
}

export function alertSource(a: AlertView): SourceRef {
  return { type: a.file === '<stdin>' ? 'stdin' : 'file', uri: a.file };
}

// ---------------------------------------------------------------------------------------------------------------

export interface CoverageView extends RuleCoverage {
  readonly policyFile: string;
  /** Line of each policy rule a gap names. */
  readonly ruleLines: readonly number[];
}

export function coverageObject(c: CoverageView): K8sObject {
  const raw = {
    apiVersion: FALCO_API_VERSION,
    kind: FALCO_RULE_COVERAGE,
    metadata: { name: c.rule },
    spec: JSON.parse(JSON.stringify(c)) as JsonObject,
  } as JsonObject;
  const first = c.gaps.find((g) => g.effect !== 'degraded') ?? c.gaps[0];
  const line = first?.policyRule !== undefined ? (c.ruleLines[first.policyRule] ?? 1) : 1;
  const location: FileLocation = { file: c.policyFile, line, column: 1 };
  return toK8sObject(raw, { source: { type: 'file', uri: c.policyFile }, location, locate: () => location }) as K8sObject;
}

export function readCoverage(obj: K8sObject): CoverageView | undefined {
  if (obj.kind !== FALCO_RULE_COVERAGE) return undefined;
  const s = getObject(obj.raw, 'spec');
  if (!s || getString(s, 'rule') === undefined) return undefined;
  return s as unknown as CoverageView;
}

export type { CoverageGap, CoverageStatus };
