/**
 * The library's audit verbs:
 * - `checkAuditPolicy()` judges audit Policy files as kube-apiserver of a given version loads them, and lints the
 *   evaluated policy; returns the one Report (audit-policy-* checks through the one runner);
 * - `simulateAudit()` answers what a policy logs for given requests, or for every event of an existing log
 *   (predicted level against the level the server wrote); a query with its own answer shape.
 * (`analyzeAuditLog()` and `auditCoverage()` are in audit-log.ts and audit-coverage.ts.)
 */
import { auditPolicyChecks } from '../checks/registry/audit.js';
import { EMPTY_CONFIG } from '../core/config.js';
import type { Problem } from '../core/finding.js';
import type { Report } from '../core/report.js';
import { UsageError } from '../core/result.js';
import { loadAuditPolicy, type LoadedPolicy } from '../engines/audit-policy/load.js';
import { auditPolicyFileObject } from '../engines/audit-policy/objects.js';
import { checkEvent, requestOfEvent, simulateRequest, type Simulation } from '../engines/audit-policy/simulate.js';
import type { AuditPolicy, AuditRequest } from '../engines/audit-policy/types.js';
import { LATEST_MINOR, minorOf } from '../engines/audit-policy/versions.js';
import { isObject, type K8sObject } from '../model/object.js';
import { readTextInput, streamAuditLogLines, type AuditInputOptions } from '../sources/audit-log.js';
import { judge, type JudgeCommonOptions } from './run.js';

export interface AuditCommonOptions extends JudgeCommonOptions {
  /** Kubernetes version of the kube-apiserver the policy is for: `1.34`, `v1.34`, `1.34.2` (default: the newest kspect knows). */
  readonly k8sVersion?: string;
  /** The clock (default: now); same as settings.now. */
  readonly now?: Date;
  /** Base of relative paths and stdin (default: the process's). */
  readonly io?: AuditInputOptions;
}

/** The minor version to judge for; a UsageError for a malformed version. */
export function targetMinor(k8sVersion: string | undefined): number {
  if (k8sVersion === undefined) return LATEST_MINOR;
  const m = minorOf(k8sVersion);
  if (m === undefined) throw new UsageError('usage', `--k8s-version must be a Kubernetes version such as 1.34, v1.34 or 1.34.2 (got "${k8sVersion}")`);
  return m;
}

export interface CheckAuditPolicyOptions extends AuditCommonOptions {
  /** Policy files (`-` for stdin). */
  readonly paths: readonly string[];
}

/** Judge audit policy files. Throws UsageError only for invalid options. */
export async function checkAuditPolicy(options: CheckAuditPolicyOptions): Promise<Report> {
  const config = options.config ?? EMPTY_CONFIG;
  const minor = targetMinor(options.k8sVersion ?? config.k8sVersion);
  if (options.paths.length === 0) throw new UsageError('usage', 'audit policy-check needs at least one policy FILE (or - for stdin)');
  const objects: K8sObject[] = [];
  const problems: Problem[] = [];
  for (const p of options.paths) {
    const r = await readTextInput(p, options.io);
    if (r.problem) problems.push(r.problem);
    if (r.text !== undefined) objects.push(auditPolicyFileObject(r.file, r.text, `1.${minor}`, { type: p === '-' ? 'stdin' : 'file', uri: r.file }));
  }
  const now = options.now ?? options.settings?.now;
  return judge({
    ...options,
    settings: { ...options.settings, ...(now ? { now } : {}), k8sVersion: `1.${minor}` },
    objects,
    checks: auditPolicyChecks,
    defaultOn: 'all',
    problems,
    inputs: options.paths,
  });
}

// ---------------------------------------------------------------------------------------------------------------
// simulate

export interface SimulatedRequest extends Simulation {
  readonly request: AuditRequest;
  /** Line of the deciding rule in the policy file. */
  readonly ruleLine?: number;
}

export interface LogDisagreement {
  readonly file: string;
  readonly line: number;
  readonly auditID?: string;
  readonly stage: string;
  readonly request: AuditRequest;
  readonly logged: string;
  readonly predicted: string;
  readonly rule?: number;
  readonly reasons: readonly string[];
}

export interface LogComparison {
  readonly events: number;
  readonly agree: number;
  readonly disagree: number;
  /** Lines that were not audit events (not JSON, or no verb). */
  readonly skipped: number;
  /** Events per level the server wrote. */
  readonly byLevel: Readonly<Record<string, number>>;
  /** The first disagreements (at most `maxDisagreements`). */
  readonly disagreements: readonly LogDisagreement[];
}

/** The answer of `kspect audit simulate` (schema/audit-simulate.schema.json). */
export interface AuditSimulation {
  readonly kind: 'AuditSimulation';
  readonly policy: string;
  readonly k8sVersion: string;
  readonly requests: readonly SimulatedRequest[];
  readonly log?: LogComparison;
  readonly problems: readonly Problem[];
}

export interface SimulateAuditOptions extends Pick<AuditCommonOptions, 'k8sVersion' | 'io'> {
  /** The policy file (`-` for stdin). */
  readonly policy: string;
  readonly requests?: readonly AuditRequest[];
  /** Audit logs whose every event is checked against the prediction. */
  readonly logs?: readonly string[];
  readonly maxDisagreements?: number;
}

/** Load a policy file for simulation and coverage: a UsageError (one line, naming the file) when the server would refuse it. */
export async function loadPolicyFile(path: string, minor: number, io: AuditInputOptions | undefined): Promise<{ file: string; loaded: LoadedPolicy; policy: AuditPolicy }> {
  const r = await readTextInput(path, io);
  if (r.text === undefined) throw new UsageError('input', `${r.file}: ${r.problem?.message ?? 'cannot read'}`);
  const loaded = loadAuditPolicy(r.text, { minor });
  if (!loaded.policy) {
    const first = loaded.problems.find((p) => p.severity === 'error');
    throw new UsageError('input', `${r.file}${first?.line !== undefined ? `:${first.line}` : ''}: kube-apiserver 1.${minor} refuses this policy: ${first?.message ?? 'invalid'} (see kspect audit policy-check)`);
  }
  return { file: r.file, loaded, policy: loaded.policy };
}

/** What the policy logs for each request, and (with logs) whether it predicts every logged event. */
export async function simulateAudit(options: SimulateAuditOptions): Promise<AuditSimulation> {
  const minor = targetMinor(options.k8sVersion);
  const { file, loaded, policy } = await loadPolicyFile(options.policy, minor, options.io);
  const requests = (options.requests ?? []).map((request): SimulatedRequest => {
    const s = simulateRequest(policy, request);
    const ruleLine = s.rule !== undefined ? loaded.ruleLines[s.rule] : undefined;
    return { request, ...s, ...(ruleLine !== undefined ? { ruleLine } : {}) };
  });
  let log: LogComparison | undefined;
  const problems: Problem[] = [];
  if (options.logs && options.logs.length > 0) {
    const max = options.maxDisagreements ?? 1000;
    let events = 0;
    let agree = 0;
    let disagree = 0;
    let skipped = 0;
    const byLevel: Record<string, number> = {};
    const disagreements: LogDisagreement[] = [];
    const stats = await streamAuditLogLines(
      options.logs,
      (text, f, line) => {
        let ev: unknown;
        try {
          ev = JSON.parse(text);
        } catch {
          skipped++;
          return;
        }
        const list = isObject(ev) && ev.kind === 'EventList' && Array.isArray(ev.items) ? ev.items : [ev];
        for (const item of list) {
          const c = isObject(item) ? checkEvent(policy, item) : undefined;
          if (!c || !isObject(item)) {
            skipped++;
            continue;
          }
          events++;
          byLevel[c.logged] = (byLevel[c.logged] ?? 0) + 1;
          if (c.disagreements.length === 0) {
            agree++;
            continue;
          }
          disagree++;
          if (disagreements.length < max) {
            const request = requestOfEvent(item);
            disagreements.push({
              file: f,
              line,
              ...(typeof item.auditID === 'string' ? { auditID: item.auditID } : {}),
              stage: c.stage,
              ...(request ? { request } : { request: { verb: '' } }),
              logged: c.logged,
              predicted: c.predicted,
              ...(c.rule !== undefined ? { rule: c.rule } : {}),
              reasons: c.disagreements,
            });
          }
        }
      },
      options.io,
    );
    problems.push(...stats.problems);
    log = { events, agree, disagree, skipped, byLevel, disagreements };
  }
  return { kind: 'AuditSimulation', policy: file, k8sVersion: `1.${minor}`, requests, ...(log ? { log } : {}), problems };
}
