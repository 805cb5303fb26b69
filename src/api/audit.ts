/**
 * The library's audit verbs:
 * - `checkAuditPolicy()` judges audit Policy files as kube-apiserver of a given version loads them, and lints the
 *   evaluated policy; returns the one Report (audit-policy-* checks through the one runner);
 * - `simulateAudit()` answers what a policy logs for given requests, or for every event of an existing log
 *   (predicted level against the level the server wrote); a query with its own answer shape.
 * - `analyzeAuditLog()` runs Falco's k8saudit rules over audit logs (streamed) and returns the one Report, alerts as
 *   findings and the per-rule counts in its `audit` section;
 * - `auditCoverage()` says which of those detections a policy makes impossible; the one Report.
 */
import { fileURLToPath } from 'node:url';
import { auditCoverageChecks, auditLogChecks, auditPolicyChecks } from '../checks/registry/audit.js';
import { EMPTY_CONFIG } from '../core/config.js';
import type { NotEvaluated, Problem } from '../core/finding.js';
import type { AuditCoverageSection, AuditLogSummary, Report } from '../core/report.js';
import { UsageError } from '../core/result.js';
import { loadAuditPolicy, type LoadedPolicy } from '../engines/audit-policy/load.js';
import { auditPolicyFileObject } from '../engines/audit-policy/objects.js';
import { checkEvent, requestOfEvent, simulateRequest, type Simulation } from '../engines/audit-policy/simulate.js';
import { parseAuditPolicy } from '../engines/audit-policy/policy.js';
import type { AuditPolicy, AuditRequest } from '../engines/audit-policy/types.js';
import { LATEST_MINOR, minorOf } from '../engines/audit-policy/versions.js';
import { auditCoverage as ruleCoverage } from '../engines/falco/coverage.js';
import { DEFAULT_MAX_EVENT_SIZE, eventsOf, evaluate, loadFalcoRules, redactedEvent, singleEvent, type FalcoRuleset, type RulesInput } from '../engines/falco/engine.js';
import type { FalcoEvent } from '../engines/falco/fields.js';
import { alertObject, coverageObject, originOf } from '../engines/falco/objects.js';
import { displayPath, givenKey } from '../engines/node/objects.js';
import type { NodeSnapshot } from '../engines/node/snapshot.js';
import { isObject, type JsonObject, type K8sObject } from '../model/object.js';
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

// ---------------------------------------------------------------------------------------------------------------
// analyze: Falco's k8saudit rules over audit logs

export interface AnalyzeAuditLogOptions extends AuditCommonOptions {
  /** Audit logs: files, folders (their files, oldest first), gzip, `-` for stdin. */
  readonly logs: readonly string[];
  /** Rules files loaded after the bundled ruleset, in order. */
  readonly rules?: readonly string[];
  /** Leave the bundled ruleset out (only --rules). */
  readonly noDefaultRules?: boolean;
  /** Falco's rule_matching: the first matching rule per event (default, as Falco) or all. */
  readonly matching?: 'first' | 'all';
  readonly since?: Date;
  readonly until?: Date;
  readonly users?: readonly string[];
  readonly namespaces?: readonly string[];
  /** Alerts listed as findings (default 10,000); the rest are counted. */
  readonly maxAlerts?: number;
  /** The k8saudit plugin's maxEventSize (default 262,144 bytes). */
  readonly maxEventSize?: number;
  /** Logs that hold no audit event at all are a clean result, not "nothing to analyse" (an input error). */
  readonly allowEmpty?: boolean;
}

/** The ruleset kspect bundles (Falco's k8saudit 0.18.0 rules), shipped in data/falco/. */
export const BUNDLED_RULES = fileURLToPath(new URL('../../data/falco/k8s_audit_rules.yaml', import.meta.url));

async function loadRulesFor(options: { rules?: readonly string[]; noDefaultRules?: boolean; io?: AuditInputOptions }): Promise<{ ruleset?: FalcoRuleset; problems: Problem[]; files: string[] }> {
  const problems: Problem[] = [];
  const inputs: RulesInput[] = [];
  const files: string[] = [];
  const paths = [...(options.noDefaultRules === true ? [] : [BUNDLED_RULES]), ...(options.rules ?? [])];
  if (paths.length === 0) throw new UsageError('usage', '--no-default-rules needs at least one --rules FILE');
  for (const p of paths) {
    const r = await readTextInput(p, options.io);
    const name = p === BUNDLED_RULES ? 'k8s_audit_rules.yaml (bundled, k8saudit 0.18.0)' : r.file;
    if (r.text === undefined) {
      problems.push(r.problem ?? { code: 'not-readable', severity: 'error', file: name, message: 'cannot read' });
      continue;
    }
    inputs.push({ name, text: r.text });
    files.push(name);
  }
  if (problems.length > 0) return { problems, files };
  const loaded = loadFalcoRules(inputs);
  if (!loaded.ok) {
    problems.push({ code: 'falco-rules', severity: 'error', file: loaded.ctx.file, ...(loaded.ctx.line > 0 ? { line: loaded.ctx.line } : {}), message: `${loaded.ctx.item !== undefined ? `${loaded.ctx.item}: ` : ''}${loaded.error} (Falco would not start)` });
    return { problems, files };
  }
  // Warnings of the user's files; the bundled file's are known and not the user's to fix.
  for (const m of loaded.ruleset.messages) if (m.ctx.file !== files[0] || options.noDefaultRules === true) problems.push({ code: 'falco-rules-warning', severity: 'warning', file: m.ctx.file, ...(m.ctx.line > 0 ? { line: m.ctx.line } : {}), message: `${m.ctx.item !== undefined ? `${m.ctx.item}: ` : ''}${m.message}` });
  return { ruleset: loaded.ruleset, problems, files };
}

/** The object's name: objectRef's, else (a create with generateName has none there) the created object's. */
function nameOf(ref: JsonObject, o: JsonObject): { name?: string } {
  if (typeof ref.name === 'string') return { name: ref.name };
  if (o.verb !== 'create') return {};
  for (const body of [o.responseObject, o.requestObject]) {
    const name = isObject(body) && isObject(body.metadata) ? body.metadata.name : undefined;
    if (typeof name === 'string' && name !== '') return { name };
  }
  return {};
}

const REJECTION_TEXT: Readonly<Record<string, string>> = {
  'not-json': 'is not JSON',
  'not-an-audit-event': 'is not a Kubernetes audit event (data not recognized as a k8s audit event)',
  'no-stage-timestamp': 'is an audit event without stageTimestamp (the k8saudit plugin drops it)',
  'bad-stage-timestamp': 'is an audit event whose stageTimestamp is not an RFC 3339 time (the k8saudit plugin drops it)',
  'too-large': 'is an audit event larger than the maximum event size (the k8saudit plugin drops it)',
};

/** Run Falco's k8saudit rules over audit logs; return the one Report with an `audit` section. */
export async function analyzeAuditLog(options: AnalyzeAuditLogOptions): Promise<Report> {
  if (options.logs.length === 0) throw new UsageError('usage', 'audit analyze needs at least one LOG (file, folder, or - for stdin)');
  const matching = options.matching ?? 'first';
  const maxAlerts = options.maxAlerts ?? 10_000;
  const maxEventSize = options.maxEventSize ?? DEFAULT_MAX_EVENT_SIZE;
  const { ruleset, problems, files } = await loadRulesFor(options);
  const now = options.now ?? options.settings?.now;
  const run = (objects: K8sObject[], extra: Problem[], notEvaluated: NotEvaluated[]): Report =>
    judge({ ...options, ...(now ? { settings: { ...options.settings, now } } : {}), objects, checks: auditLogChecks, defaultOn: 'all', problems: [...problems, ...extra], notEvaluated, inputs: options.logs });
  if (!ruleset) return run([], [], [{ reason: 'unsupported', message: 'the Falco rules did not load, so no audit event was evaluated' }]);

  const since = options.since !== undefined ? BigInt(options.since.getTime()) * 1_000_000n : undefined;
  const until = options.until !== undefined ? BigInt(options.until.getTime()) * 1_000_000n : undefined;
  const users = options.users && options.users.length > 0 ? new Set(options.users) : undefined;
  const namespaces = options.namespaces && options.namespaces.length > 0 ? new Set(options.namespaces) : undefined;
  const rejected: Record<string, number> = {};
  const firstRejected = new Map<string, { file: string; line: number; count: number; reason: string }>();
  const perRule = new Map<string, { rule: string; priority: string; alerts: number; requests: number; dryRun: number; apiServer: number }>();
  const objects: K8sObject[] = [];
  let events = 0;
  let filteredOut = 0;
  let alerts = 0;
  let unlisted = 0;
  const reject = (reason: string, file: string, line: number): void => {
    rejected[reason] = (rejected[reason] ?? 0) + 1;
    const key = `${file}\u0000${reason}`;
    const f = firstRejected.get(key);
    if (f) f.count++;
    else firstRejected.set(key, { file, line, count: 1, reason });
  };
  const take = (ev: FalcoEvent, file: string, line: number): void => {
    const o = ev.obj;
    if (since !== undefined || until !== undefined) {
      const t = BigInt(ev.rawtime);
      if ((since !== undefined && t < since) || (until !== undefined && t > until)) {
        filteredOut++;
        return;
      }
    }
    if (users && !(isObject(o.user) && typeof o.user.username === 'string' && users.has(o.user.username))) {
      filteredOut++;
      return;
    }
    if (namespaces && !(isObject(o.objectRef) && typeof o.objectRef.namespace === 'string' && namespaces.has(o.objectRef.namespace))) {
      filteredOut++;
      return;
    }
    events++;
    const matched = evaluate(ruleset, ev, matching);
    if (matched.length === 0) return;
    const origin = originOf(o);
    let shown: typeof ev | undefined;
    for (const rule of matched) {
      alerts++;
      const c = perRule.get(rule.name) ?? { rule: rule.name, priority: rule.priority, alerts: 0, requests: 0, dryRun: 0, apiServer: 0 };
      perRule.set(rule.name, c);
      c.alerts++;
      if (origin === 'dry-run') c.dryRun++;
      else if (origin === 'api-server') c.apiServer++;
      else c.requests++;
      if (objects.length >= maxAlerts) {
        unlisted++;
        continue;
      }
      shown ??= redactedEvent(ev);
      const ref = isObject(o.objectRef) ? o.objectRef : undefined;
      const s = (v: unknown): string => (typeof v === 'string' ? v : '');
      objects.push(
        alertObject({
          rule: rule.name,
          priority: rule.priority,
          output: rule.output.render(shown),
          time: s(o.stageTimestamp),
          auditID: s(o.auditID),
          stage: s(o.stage),
          user: isObject(o.user) ? s(o.user.username) : '',
          verb: s(o.verb),
          requestURI: s(o.requestURI),
          ...(ref ? { object: { group: s(ref.apiGroup), resource: s(ref.resource), ...(typeof ref.subresource === 'string' ? { subresource: ref.subresource } : {}), ...(typeof ref.namespace === 'string' ? { namespace: ref.namespace } : {}), ...nameOf(ref, o) } } : {}),
          origin,
          file,
          line,
          tags: rule.tags,
        }),
      );
    }
  };
  const stats = await streamAuditLogLines(
    options.logs,
    (text, file, line) => {
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch {
        reject('not-json', file, line);
        return;
      }
      const bytes = text.length * 3 <= maxEventSize ? text.length : Buffer.byteLength(text);
      // One Event per line (as kube-apiserver writes them) takes the fast path; arrays and EventLists the general one.
      const one = singleEvent(value, bytes, maxEventSize);
      if (typeof one === 'object') {
        take(one, file, line);
        return;
      }
      if (typeof one === 'string') {
        reject(one, file, line);
        return;
      }
      const got = eventsOf(value, bytes, maxEventSize);
      for (const r of got.rejected) reject(r, file, line);
      for (const ev of got.events) take(ev, file, line);
    },
    options.io,
  );

  const extra: Problem[] = [...stats.problems];
  const notEvaluated: NotEvaluated[] = [];
  for (const f of firstRejected.values()) {
    const what = `${f.count} line${f.count === 1 ? '' : 's'} ${REJECTION_TEXT[f.reason] ?? f.reason}`;
    if (f.reason === 'too-large' || f.reason === 'no-stage-timestamp' || f.reason === 'bad-stage-timestamp') {
      extra.push({ code: `audit-${f.reason}`, severity: 'warning', file: f.file, line: f.line, message: `${what}${f.count > 1 ? ', the first here' : ''}` });
      notEvaluated.push({ reason: 'unsupported', message: `${f.file}: ${what}: not evaluated, as Falco's k8saudit plugin drops such events`, source: { type: f.file === '<stdin>' ? 'stdin' : 'file', uri: f.file } });
    } else extra.push({ code: `audit-${f.reason}`, severity: 'error', file: f.file, line: f.line, message: `${what}${f.count > 1 ? ', the first here' : ''}` });
  }
  // Empty input is not a clean result (as scan's "nothing to scan"): no line at all — not one event, not one line
  // filtered out or refused — unless --allow-empty, or a log could not be read (said already).
  const seen = events + filteredOut + Object.values(rejected).reduce((a, b) => a + b, 0);
  if (seen === 0 && options.allowEmpty !== true && !extra.some((p) => p.severity === 'error')) {
    const named = options.logs.map((l) => (l === '-' ? 'standard input' : l)).join(', ');
    extra.push({ code: 'nothing-to-scan', severity: 'error', message: `nothing to analyse: ${named} held no audit event (--allow-empty accepts that)` });
  }
  if (unlisted > 0) notEvaluated.push({ reason: 'unsupported', message: `${unlisted} more alert${unlisted === 1 ? '' : 's'} beyond --max-alerts ${maxAlerts} are counted in the per-rule summary but not listed` });
  const report = run(objects, extra, notEvaluated);
  const summary: AuditLogSummary = {
    kind: 'AuditLogAnalysis',
    rulesFiles: files,
    rulesLoaded: ruleset.rules.length,
    rulesEnabled: ruleset.rules.filter((r) => r.enabled).length,
    skippedSources: ruleset.skippedSources,
    matching,
    lines: stats.lines,
    bytes: stats.bytes,
    events,
    filteredOut,
    rejected,
    alerts,
    unlisted,
    rules: [...perRule.values()].sort((a, b) => b.alerts - a.alerts || (a.rule < b.rule ? -1 : 1)),
  };
  return { ...report, audit: summary };
}

// ---------------------------------------------------------------------------------------------------------------
// coverage

export interface AuditCoverageOptions extends AuditCommonOptions {
  /** The audit Policy file. */
  readonly policy: string;
  readonly rules?: readonly string[];
  readonly noDefaultRules?: boolean;
}

function coverageSection(policy: string, minor: number, coverage: ReturnType<typeof ruleCoverage>): AuditCoverageSection {
  return {
    kind: 'AuditCoverage',
    policy,
    k8sVersion: `1.${minor}`,
    rules: coverage.map((c) => ({ rule: c.rule, priority: c.priority, status: c.status, needs: c.needs, classes: c.classes, gaps: c.gaps.length, summary: c.summary })),
  };
}

/**
 * The coverage section of `kspect node`: which of the bundled Falco k8saudit detections the node's audit policy (the
 * one given to kspect, else the file of --audit-policy-file) makes impossible. Undefined when no policy was read or
 * kube-apiserver would refuse it (the node checks report that).
 */
export async function nodeAuditCoverage(snapshot: Pick<NodeSnapshot, 'parsed' | 'root' | 'k8sVersion'>, k8sVersion?: string): Promise<AuditCoverageSection | undefined> {
  const given = snapshot.parsed.get(givenKey('audit-policy'));
  const found = given ?? [...snapshot.parsed.values()].find((p) => p.role === 'audit-policy' && p.given !== true);
  if (found?.value === undefined || found.error !== undefined) return undefined;
  const minor = minorOf(k8sVersion ?? snapshot.k8sVersion) ?? LATEST_MINOR;
  const { policy } = parseAuditPolicy(found.value, minor);
  if (!policy || policy.rules.length === 0) return undefined;
  const { ruleset } = await loadRulesFor({});
  if (!ruleset) return undefined;
  return coverageSection(found.given === true ? found.path : displayPath(snapshot.root, found.path), minor, ruleCoverage(policy, ruleset.rules));
}

/** Which Falco detections the policy makes impossible (or blind to what they check); the one Report. */
export async function auditCoverage(options: AuditCoverageOptions): Promise<Report> {
  const config = options.config ?? EMPTY_CONFIG;
  const minor = targetMinor(options.k8sVersion ?? config.k8sVersion);
  const { file, loaded, policy } = await loadPolicyFile(options.policy, minor, options.io);
  const { ruleset, problems } = await loadRulesFor(options);
  const now = options.now ?? options.settings?.now;
  const coverage = ruleset ? ruleCoverage(policy, ruleset.rules) : [];
  const objects = coverage.map((c) => coverageObject({ ...c, policyFile: file, ruleLines: loaded.ruleLines }));
  const report = judge({
    ...options,
    settings: { ...options.settings, ...(now ? { now } : {}), k8sVersion: `1.${minor}` },
    objects,
    checks: auditCoverageChecks,
    defaultOn: 'all',
    problems,
    ...(ruleset ? {} : { notEvaluated: [{ reason: 'unsupported' as const, message: 'the Falco rules did not load, so no rule was judged' }] }),
    inputs: [options.policy, ...(options.rules ?? [])],
  });
  const section = coverageSection(file, minor, coverage);
  return { ...report, audit: section };
}
