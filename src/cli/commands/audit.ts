/**
 * `kspect audit`: audit policies judged exactly as kube-apiserver loads and evaluates them, what a policy logs for a
 * request or for every event of a log, Falco's k8saudit rules over audit logs, and which detections a policy makes
 * impossible.
 */
import { analyzeAuditLog, auditCoverage, checkAuditPolicy, simulateAudit, targetMinor, type AuditSimulation, type SimulatedRequest } from '../../api/audit.js';
import type { AuditCoverageSection, AuditLogSummary } from '../../core/report.js';
import { UsageError } from '../../core/result.js';
import { counted } from '../../core/text.js';
import { BUILTIN_RESOURCES } from '../../engines/audit-policy/resources.js';
import { requestOfPath } from '../../engines/audit-policy/simulate.js';
import type { AuditRequest } from '../../engines/audit-policy/types.js';
import { guard, parse } from '../args.js';
import { packageVersion, type Io } from '../io.js';
import { FORMAT_OPTIONS, HELP_OPTION, K8S_VERSION_OPTIONS, REPORT_OPTIONS, checkReportFlags, checksArg, formatArg, k8sVersionArg, loadRunFiles, optionHelp, outputArg, outputFlags } from '../options.js';
import { emitReport, writeOutput } from '../report-output.js';

export const AUDIT_HELP = `Usage: kspect audit <subcommand> [options]

Subcommands:
  policy-check FILE...                   judge audit Policy files exactly as kube-apiserver loads them, and lint them
  simulate --policy FILE REQUEST...      what the policy logs for a request, or for every event of --log FILE
  analyze LOG... [--rules FILE...]       run Falco's k8saudit rules over audit logs (JSON lines, gzip, - for stdin)
  coverage --policy FILE [--rules FILE]  which Falco k8saudit detections the policy makes impossible

Run \`kspect audit <subcommand> --help\` for its options.
Exit codes: 0 nothing at or above --fail-on; 1 findings at or above it (simulate --log: an event the policy does not
predict); 2 usage, configuration, input or internal error.
`;

const REPORT_HELP = optionHelp(['k8s-version', ...Object.keys(REPORT_OPTIONS), 'help']);

export const POLICY_CHECK_HELP = `Usage: kspect audit policy-check FILE... [options]

Judge audit Policy files (--audit-policy-file) as kube-apiserver of the target version loads them:
- errors (the server refuses to start): wrong apiVersion/kind, no rules, invalid levels, stages, URL patterns,
  group names, nonResourceURLs mixed with resources, resourceNames without resources, values of the wrong type;
- warnings (the server starts but ignores part): unknown fields and repeated keys (e.g. an \`omitStage:\` typo);
- lint of the evaluated policy: shadowed rules, patterns that never match, resources under the wrong group,
  Secret/ConfigMap/TokenReview bodies logged, no catch-all, RequestReceived kept, noise from system components,
  exec/attach/portforward, RBAC changes and pod creation not logged (or without bodies).
Every message names the rule index and its line. FILE may be - for stdin.

Options (--k8s-version is the kube-apiserver's version; default 1.36):
${REPORT_HELP}`;

export const SIMULATE_HELP = `Usage: kspect audit simulate --policy FILE [--user U] [--group G]... --verb V --resource [GROUP/]RESOURCE[/SUB] [-n NS] [--name N]
       kspect audit simulate --policy FILE [--user U] [--group G]... --verb V URL...
       kspect audit simulate --policy FILE --log LOG...

What kube-apiserver logs for a request under the policy: the level (the first matching rule decides; no match is
None), the stages it goes through and which are omitted (policy and rule omitStages merged), whether the request
and response bodies are recorded, and whether managed fields are dropped. URL is a request path
(/api/v1/namespaces/default/pods/p/exec) or a non-resource URL (/healthz). With --log, every event of the log is
checked: the level the policy predicts against the level the server wrote (exit 1 when one disagrees).

Options:
      --policy FILE       the audit Policy (- for stdin)
      --user U            the authenticated user (omit for an unauthenticated request)
      --group G           a group of the user (repeatable)
      --verb V            get, list, watch, create, update, patch, delete, deletecollection (or an HTTP method for URLs)
      --resource R        GROUP/RESOURCE/SUBRESOURCE, e.g. apps/deployments, pods/exec, /pods (core), rbac.authorization.k8s.io/clusterroles
  -n, --namespace NS      namespace of the request ('' or none for cluster-scoped)
      --name N            name of the object
      --log LOG           audit log to check event by event (repeatable; JSON lines, gzip, - for stdin)
      --k8s-version V     Kubernetes version of the kube-apiserver: 1.34, v1.34 or 1.34.2 (default 1.36)
  -f, --format FORMAT     table (default) or json
  -o, --output FILE       write the answer to FILE instead of stdout
  -h, --help              this help
`;

const POLICY_CHECK_OPTIONS = { ...REPORT_OPTIONS, ...K8S_VERSION_OPTIONS, ...HELP_OPTION } as const;

const SIMULATE_OPTIONS = {
  ...FORMAT_OPTIONS,
  ...K8S_VERSION_OPTIONS,
  ...HELP_OPTION,
  policy: { type: 'string' },
  user: { type: 'string' },
  group: { type: 'string', multiple: true },
  verb: { type: 'string' },
  resource: { type: 'string' },
  namespace: { type: 'string', short: 'n' },
  name: { type: 'string' },
  log: { type: 'string', multiple: true },
} as const;

async function policyCheck(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(argv, POLICY_CHECK_OPTIONS);
  if (values.help) {
    io.stdout(POLICY_CHECK_HELP);
    return 0;
  }
  await checkReportFlags(values);
  if (positionals.length === 0) throw new UsageError('usage', 'audit policy-check needs at least one policy FILE (or - for stdin)');
  const { config, baseline } = await loadRunFiles(values, io);
  const only = await checksArg(values.checks);
  const k8sVersion = k8sVersionArg(values['k8s-version']) ?? config.k8sVersion;
  const report = await checkAuditPolicy({
    paths: positionals,
    ...(k8sVersion !== undefined ? { k8sVersion } : {}),
    config,
    ...(baseline ? { baseline } : {}),
    ...(only ? { only } : {}),
    now: io.now(),
    toolVersion: await packageVersion(),
    io: { cwd: io.cwd },
  });
  return emitReport(report, outputFlags(values, config, 'high'), io);
}

const GROUPS = new Set(Object.keys(BUILTIN_RESOURCES).filter((g) => g !== ''));

/** `apps/deployments`, `pods/exec`, `/pods/exec` (core), `rbac.authorization.k8s.io/clusterroles`, `deployments.apps`. */
export function parseResourceArg(v: string): { group: string; resource: string; subresource?: string } {
  const parts = v.split('/');
  const bad = (): never => {
    throw new UsageError('usage', `--resource "${v}": give GROUP/RESOURCE[/SUBRESOURCE] (e.g. apps/deployments, /pods/exec for the core group)`);
  };
  if (parts.some((p, i) => p === '' && i !== 0) || parts.length > 3) return bad();
  if (parts.length === 3) return { group: parts[0] ?? '', resource: parts[1] ?? '', subresource: parts[2] ?? '' };
  if (parts.length === 2) {
    const [a = '', b = ''] = parts;
    if (a === '' || a.includes('.') || GROUPS.has(a)) return { group: a, resource: b };
    return { group: '', resource: a, subresource: b };
  }
  const dot = v.indexOf('.');
  if (dot > 0) return { group: v.slice(dot + 1), resource: v.slice(0, dot) };
  if (v === '') return bad();
  return { group: '', resource: v };
}

function describe(req: AuditRequest): string {
  const who = req.user === undefined ? 'unauthenticated' : `${req.user}${(req.groups ?? []).length > 0 ? ` (${(req.groups ?? []).join(', ')})` : ''}`;
  if (!req.resource) return `${req.verb} ${req.path ?? ''} by ${who}`;
  const r = req.resource;
  const res = `${r.resource}${r.group !== '' ? `.${r.group}` : ''}${r.subresource !== undefined ? `/${r.subresource}` : ''}`;
  return `${req.verb} ${res}${r.name !== undefined && r.name !== '' ? ` ${r.name}` : ''}${r.namespace !== undefined && r.namespace !== '' ? ` in ${r.namespace}` : ''} by ${who}`;
}

/** Printable text: control characters escaped, so a hostile log cannot move the cursor. */
function safe(s: string): string {
  // eslint-disable-next-line no-control-regex -- escaping control characters is the point
  return s.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function renderSimulation(sim: AuditSimulation): string {
  const out: string[] = [`policy ${safe(sim.policy)} as kube-apiserver ${sim.k8sVersion} evaluates it`, ''];
  const row = (r: SimulatedRequest): string[] => {
    const logged = r.stages.filter((s) => s.logged && s.when !== 'on-panic').map((s) => s.stage);
    return [
      describe(r.request),
      `level ${r.level}${r.rule !== undefined ? ` (rule ${r.rule}${r.ruleLine !== undefined ? `, line ${r.ruleLine}` : ''})` : ' (no rule matches)'}`,
      r.level === 'None' ? 'nothing is logged' : `stages logged: ${logged.length > 0 ? logged.join(', ') : 'none'}${r.omitStages.length > 0 ? ` (omitted: ${r.omitStages.join(', ')})` : ''}`,
      r.level === 'None' ? '' : `requestObject: ${r.requestObject}, responseObject: ${r.responseObject}${r.omitManagedFields ? ', managedFields omitted' : ''}`,
    ];
  };
  for (const r of sim.requests) {
    const [a, b, c, d] = row(r);
    out.push(safe(a ?? ''), `  ${b ?? ''}`, `  ${c ?? ''}`, ...(d !== undefined && d !== '' ? [`  ${d}`] : []), '');
  }
  if (sim.log) {
    const l = sim.log;
    out.push(`${counted(l.events, 'event')} checked: ${l.agree} as predicted, ${l.disagree} not${l.skipped > 0 ? `, ${counted(l.skipped, 'line')} skipped (not audit events)` : ''}`);
    out.push(`levels written: ${Object.entries(l.byLevel).sort().map(([k, v]) => `${k} ${v}`).join(', ') || 'none'}`);
    for (const d of l.disagreements) out.push(`  ${safe(d.file)}:${d.line} ${safe(d.auditID ?? '')} ${d.stage} ${safe(describe(d.request))}: ${safe(d.reasons.join('; '))}`);
    if (l.disagree > l.disagreements.length) out.push(`  …and ${l.disagree - l.disagreements.length} more (see --format json)`);
    out.push('');
  }
  for (const p of sim.problems) out.push(`problem: ${safe(p.file ?? '')}${p.line !== undefined ? `:${p.line}` : ''}: ${safe(p.message)}`);
  return `${out.join('\n')}\n`;
}

async function simulate(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(argv, SIMULATE_OPTIONS);
  if (values.help) {
    io.stdout(SIMULATE_HELP);
    return 0;
  }
  const format = formatArg(values.format, ['table', 'json']);
  const output = outputArg(values.output, values.format, ['table', 'json']);
  if (values.policy === undefined) throw new UsageError('usage', 'audit simulate needs --policy FILE');
  const k8sVersion = k8sVersionArg(values['k8s-version']);
  targetMinor(k8sVersion);
  const who = { ...(values.user !== undefined ? { user: values.user } : {}), groups: values.group ?? [] };
  if (values.user === undefined && (values.group ?? []).length > 0) throw new UsageError('usage', '--group needs --user (an unauthenticated request has no groups)');
  const requests: AuditRequest[] = [];
  const logs = values.log ?? [];
  const wantsRequest = values.resource !== undefined || positionals.length > 0;
  if (!wantsRequest && logs.length === 0) throw new UsageError('usage', 'give a request (--verb V --resource R, or --verb V URL) or --log FILE');
  if (wantsRequest && values.verb === undefined) throw new UsageError('usage', '--verb is needed to describe a request');
  if (values.resource !== undefined) {
    const r = parseResourceArg(values.resource);
    requests.push({ ...who, verb: values.verb ?? '', resource: { ...r, namespace: values.namespace ?? '', name: values.name ?? '' } });
  } else if (values.namespace !== undefined || values.name !== undefined) throw new UsageError('usage', '-n and --name go with --resource');
  for (const url of positionals) {
    if (!url.startsWith('/') && url !== '*') throw new UsageError('usage', `"${url}" is not a URL path (it must start with /)`);
    requests.push(requestOfPath(url, values.verb ?? '', who));
  }
  const sim = await simulateAudit({ policy: values.policy, requests, logs, ...(k8sVersion !== undefined ? { k8sVersion } : {}), io: { cwd: io.cwd } });
  const text = format === 'json' ? `${JSON.stringify(sim, null, 2)}\n` : renderSimulation(sim);
  for (const p of sim.problems) io.stderr(`kspect: ${safe(p.file ?? '')}${p.line !== undefined ? `:${p.line}` : ''}: ${safe(p.message)}\n`);
  const written = await writeOutput(text, output, io);
  if (written !== 0) return written;
  if (sim.problems.some((p) => p.severity === 'error')) return 2;
  return sim.log && sim.log.disagree > 0 ? 1 : 0;
}

export const ANALYZE_HELP = `Usage: kspect audit analyze LOG... [--rules FILE]... [options]

Run Falco's Kubernetes audit rules (the k8saudit plugin's ruleset 0.18.0, bundled; no Falco needed) over audit logs
as kube-apiserver writes them with --audit-log-path: JSON lines, gzip-compressed rotations, folders (their files,
oldest first) and - for stdin, streamed at constant memory. --rules files are loaded after the bundled rules, in
order, as Falco loads its rules_files (lists and macros appended or overridden, rules overridden or disabled).
Each alert is a finding (rule, priority as severity, the rule's output line with credentials redacted, the
event's auditID, user, verb and object); dry runs and the API server's own requests are reported apart
(audit-falco-alert-internal). The table ends with a per-rule count. Exit 2 when the rules do not load (as Falco
would not start) or a line is not an audit event.

Options:
      --rules FILE        a Falco rules file, loaded after the bundled ruleset (repeatable)
      --no-default-rules  do not load the bundled ruleset (only --rules)
      --rule-matching M   first (default, as Falco: the first matching rule per event) or all
      --since TIME        only events at or after TIME (RFC 3339, e.g. 2026-01-02T15:04:05Z, or a date)
      --until TIME        only events at or before TIME
      --user U            only events of user U (repeatable)
  -n, --namespace NS      only events on objects in namespace NS (repeatable)
      --max-alerts N      list at most N alerts as findings (default 10000); the rest are counted
      --max-event-size B  the k8saudit plugin's maxEventSize in bytes (default 262144): larger events are dropped
      --allow-empty       accept logs that hold no audit event (default: "nothing to analyse", exit 2)
${optionHelp([...Object.keys(REPORT_OPTIONS), 'help'])}`;

export const COVERAGE_HELP = `Usage: kspect audit coverage --policy FILE [--rules FILE]... [options]

Which Falco k8s_audit detections the audit policy makes impossible: for every enabled rule, the requests it can fire
on, and whether the policy records what it reads there (a rule reading ka.req.* needs level Request, ka.resp.*
RequestResponse; exec and attach rules need the ResponseStarted stage), for every class of user. Findings point at
the policy rule that blinds the detection.

Options:
      --policy FILE       the audit Policy (- for stdin)
      --rules FILE        a Falco rules file, loaded after the bundled ruleset (repeatable)
      --no-default-rules  do not load the bundled ruleset (only --rules)
      --k8s-version V     Kubernetes version of the kube-apiserver: 1.34, v1.34 or 1.34.2 (default 1.36)
${optionHelp([...Object.keys(REPORT_OPTIONS), 'help'])}`;

const RULES_OPTIONS = {
  rules: { type: 'string', multiple: true },
  'no-default-rules': { type: 'boolean' },
} as const;

const ANALYZE_OPTIONS = {
  ...REPORT_OPTIONS,
  ...HELP_OPTION,
  ...RULES_OPTIONS,
  'rule-matching': { type: 'string' },
  since: { type: 'string' },
  until: { type: 'string' },
  user: { type: 'string', multiple: true },
  namespace: { type: 'string', short: 'n', multiple: true },
  'max-alerts': { type: 'string' },
  'max-event-size': { type: 'string' },
  'allow-empty': { type: 'boolean' },
} as const;

const COVERAGE_OPTIONS = { ...REPORT_OPTIONS, ...HELP_OPTION, ...K8S_VERSION_OPTIONS, ...RULES_OPTIONS, policy: { type: 'string' } } as const;

function timeArg(v: string | undefined, flag: string): Date | undefined {
  if (v === undefined) return undefined;
  const ok = /^\d{4}-\d{2}-\d{2}$/.test(v) || /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([Zz]|[+-]\d{2}:\d{2})$/.test(v);
  const d = new Date(/^\d{4}-\d{2}-\d{2}$/.test(v) ? `${v}T00:00:00Z` : v);
  if (!ok || Number.isNaN(d.getTime())) throw new UsageError('usage', `${flag} must be an RFC 3339 time with a zone (2026-01-02T15:04:05Z) or a date (2026-01-02)`);
  return d;
}

function positiveInt(v: string | undefined, flag: string): number | undefined {
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v) || Number(v) <= 0 || !Number.isSafeInteger(Number(v))) throw new UsageError('usage', `${flag} must be a positive whole number`);
  return Number(v);
}

function table(rows: readonly (readonly string[])[], head: readonly string[]): string[] {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: readonly string[]): string => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join('  ').trimEnd();
  return [line(head), ...rows.map(line)];
}

/** The per-rule summary printed before the findings of `audit analyze`. */
export function renderAnalysisSummary(a: AuditLogSummary): string {
  const out: string[] = [];
  out.push(`Falco k8s_audit rules: ${a.rulesEnabled} enabled of ${a.rulesLoaded} loaded from ${a.rulesFiles.map(safe).join(', ')}${Object.keys(a.skippedSources).length > 0 ? ` (skipped: ${Object.entries(a.skippedSources).map(([s, n]) => `${n} ${s} rules`).join(', ')})` : ''}; rule matching: ${a.matching}`);
  const rej = Object.values(a.rejected).reduce((x, y) => x + y, 0);
  out.push(`${counted(a.events, 'event')} evaluated from ${counted(a.lines, 'line')}${a.filteredOut > 0 ? `, ${a.filteredOut} filtered out` : ''}${rej > 0 ? `, ${rej} not taken (${Object.entries(a.rejected).map(([k, v]) => `${k} ${v}`).join(', ')})` : ''}; ${counted(a.alerts, 'alert')}${a.unlisted > 0 ? ` (${a.unlisted} beyond --max-alerts, counted only)` : ''}`);
  if (a.rules.length > 0) {
    out.push('');
    out.push(...table(a.rules.map((r) => [String(r.alerts), String(r.requests), String(r.dryRun), String(r.apiServer), r.priority, safe(r.rule)]), ['ALERTS', 'REQUESTS', 'DRY-RUN', 'API-SERVER', 'PRIORITY', 'RULE']));
  }
  return `${out.join('\n')}\n\n`;
}

/** The per-rule status printed before the findings of `audit coverage`. */
export function renderCoverageSummary(rows: AuditCoverageSection['rules']): string {
  const out = table(
    rows.map((r) => [r.status, r.needs, r.priority, safe(r.rule)]),
    ['STATUS', 'NEEDS', 'PRIORITY', 'RULE'],
  );
  const counts = ['covered', 'partial', 'blind', 'degraded', 'never-fires'].map((s) => `${rows.filter((r) => r.status === s).length} ${s}`).join(', ');
  return `${out.join('\n')}\n${counted(rows.length, 'rule')}: ${counts}\n\n`;
}

/** The coverage section of `kspect node`'s table: the counts, and each rule the node's policy blinds or degrades. */
export function renderNodeCoverage(section: AuditCoverageSection): string {
  const rows = section.rules;
  const counts = ['covered', 'partial', 'blind', 'degraded', 'never-fires'].map((s) => `${rows.filter((r) => r.status === s).length} ${s}`).join(', ');
  const out = [`Falco k8saudit detections under the audit policy ${safe(section.policy)} (kube-apiserver ${section.k8sVersion}): ${counts}`];
  const gaps = rows.filter((r) => r.status === 'blind' || r.status === 'partial' || r.status === 'degraded');
  out.push(...table(gaps.map((r) => [r.status, r.needs, safe(r.rule), safe(r.summary)]), ['STATUS', 'NEEDS', 'RULE', 'WHY']).map((l) => `  ${l}`));
  out.push(`  (kspect audit coverage --policy ${safe(section.policy)} for every rule and case)`);
  return `${out.join('\n')}\n`;
}

async function analyze(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(argv, ANALYZE_OPTIONS);
  if (values.help) {
    io.stdout(ANALYZE_HELP);
    return 0;
  }
  await checkReportFlags(values);
  if (positionals.length === 0) throw new UsageError('usage', 'audit analyze needs at least one LOG (file, folder, or - for stdin)');
  const matching = values['rule-matching'] ?? 'first';
  if (matching !== 'first' && matching !== 'all') throw new UsageError('usage', '--rule-matching must be first or all');
  const since = timeArg(values.since, '--since');
  const until = timeArg(values.until, '--until');
  const maxAlerts = positiveInt(values['max-alerts'], '--max-alerts');
  const maxEventSize = positiveInt(values['max-event-size'], '--max-event-size');
  const { config, baseline } = await loadRunFiles(values, io);
  const only = await checksArg(values.checks);
  const report = await analyzeAuditLog({
    logs: positionals,
    ...(values.rules ? { rules: values.rules } : {}),
    noDefaultRules: values['no-default-rules'] ?? false,
    matching,
    ...(since ? { since } : {}),
    ...(until ? { until } : {}),
    ...(values.user ? { users: values.user } : {}),
    ...(values.namespace ? { namespaces: values.namespace } : {}),
    ...(maxAlerts !== undefined ? { maxAlerts } : {}),
    ...(maxEventSize !== undefined ? { maxEventSize } : {}),
    ...(values['allow-empty'] === true ? { allowEmpty: true } : {}),
    config,
    ...(baseline ? { baseline } : {}),
    ...(only ? { only } : {}),
    now: io.now(),
    toolVersion: await packageVersion(),
    io: { cwd: io.cwd },
  });
  const summary = report.audit;
  return emitReport(report, outputFlags(values, config, 'high'), io, summary?.kind === 'AuditLogAnalysis' ? () => renderAnalysisSummary(summary) : undefined);
}

async function coverage(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(argv, COVERAGE_OPTIONS);
  if (values.help) {
    io.stdout(COVERAGE_HELP);
    return 0;
  }
  await checkReportFlags(values);
  if (positionals.length > 0) throw new UsageError('usage', `unexpected argument "${positionals[0] ?? ''}" (give the policy with --policy FILE)`);
  if (values.policy === undefined) throw new UsageError('usage', 'audit coverage needs --policy FILE');
  const { config, baseline } = await loadRunFiles(values, io);
  const only = await checksArg(values.checks);
  const k8sVersion = k8sVersionArg(values['k8s-version']) ?? config.k8sVersion;
  const report = await auditCoverage({
    policy: values.policy,
    ...(values.rules ? { rules: values.rules } : {}),
    noDefaultRules: values['no-default-rules'] ?? false,
    ...(k8sVersion !== undefined ? { k8sVersion } : {}),
    config,
    ...(baseline ? { baseline } : {}),
    ...(only ? { only } : {}),
    now: io.now(),
    toolVersion: await packageVersion(),
    io: { cwd: io.cwd },
  });
  const section = report.audit;
  return emitReport(report, outputFlags(values, config, 'high'), io, section?.kind === 'AuditCoverage' ? () => renderCoverageSummary(section.rules) : undefined);
}

export function run(argv: string[], io: Io): Promise<number> {
  return guard(io, async () => {
    const [sub, ...rest] = argv;
    if (sub === undefined || sub === '--help' || sub === '-h' || sub === 'help') {
      io.stdout(AUDIT_HELP);
      return sub === undefined ? 2 : 0;
    }
    switch (sub) {
      case 'policy-check':
        return policyCheck(rest, io);
      case 'simulate':
        return simulate(rest, io);
      case 'analyze':
        return analyze(rest, io);
      case 'coverage':
        return coverage(rest, io);
      default:
        throw new UsageError('usage', `unknown audit subcommand "${sub}" (try: kspect audit --help)`);
    }
  });
}
