/**
 * `kspect rbac can-i | who-can | access | risks | paths`: the questions `kubectl auth can-i` answers,
 * for anyone, offline, with the binding → role → rule behind each answer.
 * can-i, who-can and access are queries (their own answer shapes; inputs with -i PATH); risks and paths judge
 * (the one Report of the one runner; inputs as positional PATHs, every report format).
 */
import { checkRbac } from '../../api/rbac.js';
import { rbacRisksShare } from '../../checks/rbac-danger.js';
import type { Problem } from '../../core/finding.js';
import { QUERY_SCHEMA_VERSION, type Report } from '../../core/report.js';
import { UsageError } from '../../core/result.js';
import { counted, escapeText as esc } from '../../core/text.js';
import {
  ADMIN_NODE,
  buildRbacIndex,
  crdScopes,
  escalationPaths,
  impersonatedUser,
  isNamespacedRequest,
  parseSubject,
  requestDisplay,
  requestOf,
  resourceDisplay,
  ruleDisplay,
  subjectDisplay,
  subjectKey,
  subjectOf,
  userOfSubject,
  missingRoleText,
  type BindingEntry,
  type Grant,
  type RbacIndex,
  type SubjectRef,
  type UserInfo,
} from '../../engines/rbac/index.js';
import type { Inventory } from '../../model/inventory.js';
import { pathsToDot, pathsToMermaid } from '../../reporters/rbac-graph.js';
import { FORMATS } from '../../reporters/formats.js';
import { safeJson } from '../../reporters/safe-json.js';
import { guard, parse } from '../args.js';
import { loadClusterInputs, loadInputs, manifestRunOptions, problemLine, type ClusterFlagValues } from '../inputs.js';
import type { Io } from '../io.js';
import {
  CLUSTER_OPTIONS,
  CLUSTER_READ_OPTIONS,
  DEFAULT_NAMESPACE_OPTIONS,
  FILE_OPTIONS,
  HELP_OPTION,
  K8S_VERSION_OPTIONS,
  REPORT_OPTIONS,
  checkReportFlags,
  checksArg,
  clusterArgs,
  formatArg,
  k8sVersionArg,
  loadRunFiles,
  optionHelp,
  outputArg,
  outputFlags,
  INPUT_OPTIONS,
  inputOptions,
} from '../options.js';
import { emitReport, writeOutput } from '../report-output.js';

export const RBAC_HELP = `Usage: kspect rbac <question> [options]

Queries (inputs with -i PATH, or --cluster):
  can-i VERB RESOURCE[/SUB] --as USER [--as-group G]... [-n NS] [--name N]
                      can USER do it? yes (exit 0) or no (exit 1), with the binding → role → rule
  who-can VERB RESOURCE[/SUB] [-n NS | -A] [--name N]
                      every user, group and service account that can (default: any namespace)
  access SUBJECT [--as-group G]... [-n NS]
                      everything SUBJECT can do, per namespace (like kubectl auth can-i --list)

Judgements (inputs as PATH..., or --cluster; a report in any format, gated by --fail-on like scan):
  risks [PATH|-]...   dangerous permissions, by binding (the rbac-* checks)
  paths [PATH|-]... [--from SUBJECT] [--to cluster-admin|SUBJECT]
                      shortest escalation paths to cluster-admin (check rbac-escalation-path); -f dot and
                      -f mermaid draw the graph instead

RESOURCE is named as kubectl names it: pods, pods/exec, deployments.apps, deployments.apps/scale;
a non-resource URL starts with / (e.g. /healthz). SUBJECT is a user name, system:serviceaccount:NS:NAME,
or group:NAME. Input is e.g. the output of
kubectl get roles,clusterroles,rolebindings,clusterrolebindings,serviceaccounts -A -o yaml

Options:
${optionHelp(['file', 'cluster', 'context', 'kubeconfig', 'request-timeout', 'timeout', 'follow-symlinks', 'allow-remote', 'allow-empty', 'values', 'jobs'])}  -n, --namespace NS       namespace of the question (can-i default: default)
  -A, --all-namespaces     who-can: any namespace (the default); can-i: a request across all namespaces
      --name N             the object's name (resourceNames rules match only named requests)
      --as USER            the user asking; system:serviceaccount:NS:NAME for a service account
      --as-group G         a group of the user (repeatable); implicit groups are added as kube-apiserver does
      --with-defaults      queries: add the Kubernetes default roles AND bindings the input lacks
      --no-default-roles   queries: do not resolve references to default ClusterRoles (edit, view, admin,
                           system:…) that the input lacks (they are resolved by default: every cluster has them)
${optionHelp(['default-namespace', 'k8s-version'])}  -q, --quiet              can-i: print nothing, answer by exit code
${optionHelp(Object.keys(REPORT_OPTIONS))}  -h, --help

Queries accept -f table or json. The default --fail-on of risks and paths is high.
Exit codes: can-i 0 yes, 1 no; risks and paths 1 when a finding is at or above --fail-on; 2 usage or input
error, or an incomplete query answer: a binding that applies references a role that is not in the input ("unknown").
`;

const OPTIONS = {
  ...FILE_OPTIONS,
  ...CLUSTER_OPTIONS,
  ...CLUSTER_READ_OPTIONS,
  namespace: { type: 'string', short: 'n' },
  'all-namespaces': { type: 'boolean', short: 'A' },
  name: { type: 'string' },
  as: { type: 'string' },
  'as-group': { type: 'string', multiple: true },
  'with-defaults': { type: 'boolean' },
  'no-default-roles': { type: 'boolean' },
  ...K8S_VERSION_OPTIONS,
  ...DEFAULT_NAMESPACE_OPTIONS,
  ...REPORT_OPTIONS,
  quiet: { type: 'boolean', short: 'q' },
  from: { type: 'string' },
  to: { type: 'string' },
  ...INPUT_OPTIONS,
  ...HELP_OPTION,
} as const;

type Values = ReturnType<typeof parse<typeof OPTIONS>>['values'];

/** Where a query's objects come from. The default reads `-i` paths; a cluster source can replace it. */
export interface InventorySource {
  load(values: { readonly file?: readonly string[]; readonly 'follow-symlinks'?: boolean | undefined; readonly 'allow-remote'?: boolean | undefined; readonly 'allow-empty'?: boolean | undefined; readonly jobs?: string | undefined }, io: Io): Promise<{ inventory: Inventory; problems: readonly Problem[]; failed: boolean }>;
}

/** `--cluster`: the roles, bindings and service accounts of a live cluster. */
export const CLUSTER_SOURCE: InventorySource = {
  load: (values, io) => loadClusterInputs(values as ClusterFlagValues, io),
};

export const FILE_SOURCE: InventorySource = {
  async load(values, io) {
    const paths = values.file ?? [];
    if (paths.length === 0) throw new UsageError('usage', 'rbac needs input: -i PATH (file, folder, glob, or - for stdin), or --cluster');
    return loadInputs(paths, io, [], inputOptions(values));
  },
};

const SUBCOMMANDS = ['can-i', 'who-can', 'access', 'risks', 'paths'] as const;
const QUERY_FORMATS = ['table', 'json'] as const;

/** An Io whose stdout is collected, for `-o FILE` of the queries. */
function collecting(io: Io): { io: Io; text: () => string } {
  const parts: string[] = [];
  return { io: { ...io, stdout: (t) => void parts.push(t) }, text: () => parts.join('') };
}

export function run(argv: string[], io: Io, source: InventorySource = FILE_SOURCE): Promise<number> {
  // What rbac reads (objects, index, dangers, findings) is held to the end: live data, not garbage (Io.heapUse).
  io.heapUse?.('held');
  return guard(io, async () => {
    const { values, positionals } = parse(argv, OPTIONS);
    const [sub, ...args] = positionals;
    if (values.help || sub === undefined) {
      io.stdout(RBAC_HELP);
      return values.help ? 0 : 2;
    }
    if (!(SUBCOMMANDS as readonly string[]).includes(sub)) throw new UsageError('usage', `unknown rbac question "${sub}" (one of ${SUBCOMMANDS.join(', ')})`);
    if (sub === 'risks' || sub === 'paths') return judgement(sub, args, values, io);
    const format = formatArg(values.format, QUERY_FORMATS);
    const output = outputArg(values.output, values.format, QUERY_FORMATS);
    for (const flag of ['fail-on', 'fail-on-not-evaluated', 'config', 'baseline', 'show-suppressed', 'checks', 'severity', 'group-by', 'from', 'to'] as const)
      if (values[flag] !== undefined) throw new UsageError('usage', `--${flag} applies to rbac risks and rbac paths`);
    const k8s = k8sVersionArg(values['k8s-version']);
    if (values['with-defaults'] && values['no-default-roles']) throw new UsageError('usage', '--with-defaults and --no-default-roles contradict each other');
    // Validate the question before reading input, so usage errors come first.
    const ask = prepare(sub as 'can-i' | 'who-can' | 'access', args, values);
    clusterArgs(values, values.file ?? []);
    const loaded = await (values.cluster ? CLUSTER_SOURCE : source).load(values, io);
    const index = buildRbacIndex(loaded.inventory.objects, {
      defaults: values['with-defaults'] ? 'all' : values['no-default-roles'] ? 'none' : 'roles',
      ...(k8s !== undefined ? { k8sVersion: k8s } : {}),
      ...(values['default-namespace'] !== undefined ? { defaultNamespace: values['default-namespace'] } : {}),
    });
    // A binding to a Role not in the input is part of the answer (the "unknown" lines and rows, exit 2): printed there
    // once, not again as a warning (index.problems ends with it), unless the answer goes to a file.
    for (const p of output !== undefined ? index.problems : index.readProblems) io.stderr(problemLine(p));
    const invalid = (loaded.failed || index.readProblems.some((p) => p.severity === 'error')) && !values['allow-invalid'];
    const out = collecting(io);
    const code = ask(index, loaded.inventory, format, out.io);
    const written = await writeOutput(out.text(), output, io);
    return written !== 0 ? written : invalid ? 2 : code;
  });
}

/** `rbac risks` and `rbac paths`: the rbac checks through the one runner, one Report. */
async function judgement(sub: 'risks' | 'paths', args: string[], values: Values, io: Io): Promise<number> {
  const graph = sub === 'paths' && (values.format === 'dot' || values.format === 'mermaid') ? values.format : undefined;
  if (!graph) await checkReportFlags(values);
  else outputArg(values.output, values.format, [...FORMATS, 'dot', 'mermaid']);
  for (const flag of ['with-defaults', 'no-default-roles', 'quiet', 'as', 'as-group', 'name', 'all-namespaces', 'namespace'] as const)
    if (values[flag] !== undefined) throw new UsageError('usage', `--${flag} applies to the rbac queries (can-i, who-can, access)`);
  if (sub === 'risks' && (values.from !== undefined || values.to !== undefined)) throw new UsageError('usage', '--from and --to apply to rbac paths');
  const from = subjectArg(values.from, '--from');
  const to = values.to === undefined || values.to === ADMIN_NODE ? undefined : subjectArg(values.to, '--to');
  const paths = [...args, ...(values.file ?? [])];
  const cluster = clusterArgs(values, paths);
  if (!cluster && paths.length === 0) throw new UsageError('usage', `rbac ${sub} needs input: PATH... (file, folder, glob, or - for stdin), or --cluster`);
  const k8s = k8sVersionArg(values['k8s-version']);
  const { config: loadedConfig, baseline } = await loadRunFiles(values, io);
  // --from/--to are the parameters of rbac-escalation-path.
  const params = { ...(values.from !== undefined ? { from: values.from } : {}), ...(values.to !== undefined ? { to: values.to } : {}) };
  const base = loadedConfig.parameters['rbac-escalation-path'];
  const config = Object.keys(params).length === 0 ? loadedConfig : { ...loadedConfig, parameters: { ...loadedConfig.parameters, 'rbac-escalation-path': { ...(typeof base === 'object' && base !== null ? base : {}), ...params } } };
  const only = sub === 'paths' ? ['rbac-escalation-path'] : await checksArg(values.checks);
  if (sub === 'paths' && values.checks !== undefined) throw new UsageError('usage', 'rbac paths runs rbac-escalation-path only (--checks applies to rbac risks)');
  const live = cluster ? await loadClusterInputs(values, io) : undefined;
  if (graph) {
    // The graph formats draw the escalation graph itself (a query answer, not a report).
    const { loadManifests } = await import('../../sources/files.js');
    const loaded = live ? { objects: live.inventory.objects, problems: [] } : await loadManifests(paths, { readStdin: io.readStdin, cwd: io.cwd, ...inputOptions(values) });
    for (const p of loaded.problems) io.stderr(problemLine(p));
    const index = buildRbacIndex(loaded.objects, { defaults: 'roles', ...(k8s !== undefined ? { k8sVersion: k8s } : {}), ...(values['default-namespace'] !== undefined ? { defaultNamespace: values['default-namespace'] } : {}) });
    for (const p of index.problems) io.stderr(problemLine(p));
    const { graph: g, paths: found } = escalationPaths(index, { ...(from ? { from } : {}), ...(to ? { target: to } : {}) });
    const labels = new Map<string, string>([...g.nodes].map(([k, n]) => [k, n.label]));
    const written = await writeOutput(graph === 'dot' ? pathsToDot(found, labels) : pathsToMermaid(found, labels), values.output, io);
    return written !== 0 ? written : loaded.problems.some((p) => p.severity === 'error') && !values['allow-invalid'] ? 2 : 0;
  }
  const report = await checkRbac({
    ...(await manifestRunOptions(values, io, { paths: paths, live, config, baseline, only, k8s })),
  });
  // risks: a binding's subjects once, not once per finding (rbacRisksShare); paths: a line before the table.
  return sub === 'paths' ? emitReport(report, outputFlags(values, config, 'high'), io, (color) => adminsLine(report, color)) : emitReport(report, outputFlags(values, config, 'high'), io, undefined, { share: rbacRisksShare(k8s) });
}

/** Before the table of rbac paths: nothing more than the report says (kept as a hook for a summary line). */
function adminsLine(report: Report, _color: boolean): string {
  // Not on an input that could not be read (or held nothing): that is no answer, said once by the problem line.
  return report.findings.length === 0 && report.notEvaluated.length === 0 && !report.problems.some((p) => p.severity === 'error') ? 'no escalation path found\n\n' : '';
}

type Answer = (index: RbacIndex, inventory: Inventory, format: string, io: Io) => number;

function prepare(sub: 'can-i' | 'who-can' | 'access', args: string[], values: Values): Answer {
  switch (sub) {
    case 'can-i':
      return canI(args, values);
    case 'who-can':
      return whoCan(args, values);
    case 'access':
      return access(args, values);
  }
}

function question(args: string[], what: string): { verb: string; resource: string } {
  const [verb, resource, ...rest] = args;
  if (verb === undefined || resource === undefined) throw new UsageError('usage', `${what} needs VERB RESOURCE, e.g. ${what} get pods`);
  if (rest.length > 0) throw new UsageError('usage', `${what} takes VERB RESOURCE; use --name for a name (unexpected "${rest.join(' ')}")`);
  if (verb === '') throw new UsageError('usage', 'VERB must not be empty');
  return { verb, resource };
}

function userFrom(values: Values, positional?: string): UserInfo {
  const groups = values['as-group'] ?? [];
  const name = positional ?? values.as;
  if (name === undefined) {
    if (groups.length > 0) throw new UsageError('usage', '--as-group needs --as USER (Kubernetes refuses groups without a user)');
    throw new UsageError('usage', 'say who asks: --as USER (or --as system:serviceaccount:NS:NAME)');
  }
  if (name.startsWith('group:') || name.startsWith('Group:')) {
    const s = parseSubject(name);
    if (!s) throw new UsageError('usage', `cannot read subject "${name}"`);
    const u = userOfSubject(s);
    return { name: u.name, groups: [...new Set([...u.groups, ...groups])] };
  }
  const s = parseSubject(name);
  if (!s) throw new UsageError('usage', `cannot read subject "${name}"`);
  const user = s.kind === 'ServiceAccount' ? `system:serviceaccount:${s.namespace ?? ''}:${s.name}` : s.name;
  return impersonatedUser(user, groups);
}

function grantJson(g: Grant): unknown {
  return {
    binding: { kind: g.binding.record.kind, name: g.binding.record.name, ...(g.binding.record.namespace !== undefined ? { namespace: g.binding.record.namespace } : {}), default: g.binding.record.isDefault },
    subject: { kind: g.subject.kind, name: g.subject.name, ...(g.subject.namespace !== undefined ? { namespace: g.subject.namespace } : {}) },
    role: { kind: g.role.record.kind, name: g.role.record.name, ...(g.role.record.namespace !== undefined ? { namespace: g.role.record.namespace } : {}), default: g.role.record.isDefault },
    ruleIndex: g.rule.index,
    rule: g.rule.rule,
    ...(g.rule.from ? { aggregatedFrom: g.rule.from } : {}),
    ...(location(g) ? { location: location(g) } : {}),
  };
}

function location(g: Grant): string | undefined {
  const obj = g.role.record.object;
  if (!obj || g.role.record.isDefault) return undefined;
  const path = g.rule.from ? undefined : g.role.record.rulePaths[g.rule.index];
  const loc = (path !== undefined ? obj.origin.locate(path) : undefined) ?? obj.origin.location;
  return loc ? `${loc.file}:${loc.line}` : undefined;
}

function grantLine(g: Grant): string {
  const from = g.rule.from ? ` (aggregated from ClusterRole ${g.rule.from.role} rules[${g.rule.from.index}])` : '';
  const def = g.binding.record.isDefault ? ' [default]' : '';
  const loc = location(g);
  return `${g.binding.display}${def} → ${g.role.display} rules[${g.rule.index}]: ${ruleDisplay(g.rule.rule)}${from} — subject ${g.subject.kind} ${g.subject.namespace !== undefined ? `${g.subject.namespace}/` : ''}${g.subject.name}${loc !== undefined ? ` (${loc})` : ''}`;
}

function missingJson(b: BindingEntry): Record<string, unknown> {
  return {
    binding: { kind: b.record.kind, name: b.record.name, ...(b.record.namespace !== undefined ? { namespace: b.record.namespace } : {}) },
    missingRole: { kind: b.record.roleRef.kind, name: b.record.roleRef.name, ...(b.record.roleRef.kind === 'Role' && b.record.namespace !== undefined ? { namespace: b.record.namespace } : {}) },
  };
}

/** A query answer as JSON (schema/queries.schema.json), versioned like every JSON kspect prints; names in answers come
 * from input: JSON is hardened (reporters/safe-json.ts), text lines escaped (core/text.ts). */
function json(io: Io, v: object): void {
  io.stdout(safeJson({ schemaVersion: QUERY_SCHEMA_VERSION, ...v }));
}

function table(cells: readonly (readonly string[])[]): string {
  if (cells.length === 0) return '';
  const rows = cells.map((r) => r.map((c) => esc(c)));
  const widths: number[] = [];
  for (const r of rows) r.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, c.length)));
  return `${rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join('  ')).join('\n')}\n`;
}

// --- can-i ------------------------------------------------------------------------------------------

function canI(args: string[], values: Values): Answer {
  const q = question(args, 'can-i');
  const user = userFrom(values);
  const namespace = values['all-namespaces'] ? undefined : (values.namespace ?? 'default');
  return (index, inventory, format, io) => {
    const req = requestOf({ verb: q.verb, resource: q.resource, ...(namespace !== undefined ? { namespace } : {}), ...(values.name !== undefined ? { name: values.name } : {}) }, crdScopes(inventory.objects));
    const d = index.authorize(user, req);
    const elsewhere =
      !d.allowed && req.kind === 'resource' && req.namespace !== undefined
        ? index.namespacesFor(user).filter((ns) => ns !== req.namespace && index.can(user, { ...req, namespace: ns }))
        : [];
    const unknown = d.reason === 'unknown';
    if (format === 'json') {
      json(io, { allowed: d.allowed, reason: d.reason, ...(unknown ? { answer: 'unknown', unknown: d.unknown.map(([b]) => missingJson(b)) } : {}), user: user.name, groups: user.groups, request: req, grants: d.grants.map(grantJson), ...(elsewhere.length > 0 ? { allowedInNamespaces: elsewhere } : {}) });
    } else if (!values.quiet) {
      let out = `${d.allowed ? 'yes' : unknown ? 'unknown' : 'no'}\n`;
      if (unknown) for (const [b] of d.unknown) out += `  ${esc(missingRoleText(b))}\n`;
      if (d.reason === 'system:masters') out += `  ${esc(user.name)} is in group system:masters, which bypasses RBAC\n`;
      for (const g of d.grants) out += `  ${esc(grantLine(g))}\n`;
      if (!d.allowed) {
        const applying = index.bindingsFor(user, req.kind === 'resource' ? req.namespace : undefined);
        out += `  no rule allows ${esc(`${requestDisplay(req)} for ${user.name} (groups ${user.groups.join(', ')})`)}`;
        out += applying.length === 0 ? '; no binding applies to them\n' : `; ${counted(new Set(applying.map(([b]) => b)).size, 'binding applies', 'bindings apply')}, none with a matching rule\n`;
        for (const [b] of new Map(applying.map(([b, s]) => [b, s]))) if (b.unresolved === 'wrong-kind') out += `  ${esc(`${b.display} references ${b.record.roleRef.kind} ${b.record.roleRef.name}`)}, which is of the wrong kind: it grants nothing\n`;
        if (elsewhere.length > 0) out += `  (allowed in namespace${elsewhere.length > 1 ? 's' : ''} ${esc(elsewhere.join(', '))})\n`;
      }
      io.stdout(out);
    }
    // Unknown is not "no": exit 2, the answer is incomplete.
    return d.allowed ? 0 : unknown ? 2 : 1;
  };
}

// --- who-can ----------------------------------------------------------------------------------------

function whoCan(args: string[], values: Values): Answer {
  const q = question(args, 'who-can');
  if (values.namespace !== undefined && values['all-namespaces']) throw new UsageError('usage', '-n and -A contradict each other');
  return (index, inventory, format, io) => {
    const req = requestOf({ verb: q.verb, resource: q.resource, ...(values.namespace !== undefined ? { namespace: values.namespace } : {}), ...(values.name !== undefined ? { name: values.name } : {}) }, crdScopes(inventory.objects));
    const crds = crdScopes(inventory.objects);
    const anyNamespace = values.namespace === undefined && isNamespacedRequest(req, crds);
    const entries = index.whoCan(req, { anyNamespace });
    // Sort keys computed once per entry, not per comparison (a broad question has 100,000+ entries).
    const keyOf = new Map(entries.map((e) => [e, subjectKey(e.subject)]));
    entries.sort((a, b) => cmp(keyOf.get(a) ?? '', keyOf.get(b) ?? '') || cmp(a.scope, b.scope) || cmp(a.binding.display, b.binding.display));
    // Bindings in scope whose role is missing: their subjects may or may not be able to — the answer is incomplete.
    const unknown = index.whoCanUnknown(req, { anyNamespace });
    if (format === 'json') {
      json(io, {
        request: req,
        anyNamespace,
        complete: unknown.length === 0,
        bypass: [{ kind: 'Group', name: 'system:masters', reason: 'bypasses RBAC' }],
        subjects: entries.map((e) => ({ subject: { kind: e.subject.kind, name: e.subject.name, ...(e.subject.namespace !== undefined ? { namespace: e.subject.namespace } : {}) }, scope: e.scope, ...(grantJson(e) as object) })),
        ...(unknown.length > 0 ? { unknown: unknown.map((u) => ({ ...missingJson(u.binding), scope: u.scope })) } : {}),
      });
      return unknown.length > 0 ? 2 : 0;
    }
    const rows: string[][] = [['SUBJECT', 'SCOPE', 'BINDING', 'ROLE', 'RULE']];
    for (const e of entries) rows.push([subjectDisplay(e.subject), e.scope, `${e.binding.display}${e.binding.record.isDefault ? ' [default]' : ''}`, e.role.display, `rules[${e.rule.index}] ${ruleDisplay(e.rule.rule)}`]);
    rows.push(['Group system:masters', 'cluster', '-', '-', 'bypasses RBAC']);
    for (const u of unknown) for (const s of u.binding.record.subjects) rows.push([`${subjectDisplay(subjectOf(s))} (unknown)`, u.scope, u.binding.display, `${u.binding.record.roleRef.kind} ${u.binding.record.roleRef.name} (not in the input)`, 'unknown']);
    io.stdout(`${esc(requestDisplay(req))}${anyNamespace ? ' (or in any namespace)' : ''}\n${table(rows)}`);
    if (unknown.length > 0) io.stdout(`incomplete: ${counted(unknown.length, 'binding in scope references a role', 'bindings in scope reference roles')} that ${unknown.length === 1 ? 'is' : 'are'} not in the input; their subjects may be allowed too\n`);
    return unknown.length > 0 ? 2 : 0;
  };
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

// --- access -----------------------------------------------------------------------------------------

interface AccessRow {
  resources: string;
  urls: string;
  names: string;
  verbs: Set<string>;
  via: Set<string>;
}

function access(args: string[], values: Values): Answer {
  const [who, ...rest] = args;
  if (rest.length > 0) throw new UsageError('usage', 'access takes one SUBJECT');
  const user = userFrom(values, who);
  return (index, _inventory, format, io) => {
    const scopes: (string | undefined)[] = values.namespace !== undefined ? [values.namespace] : [undefined, ...index.namespacesFor(user)];
    const result: { scope: string; rows: AccessRow[]; unknown: string[] }[] = [];
    for (const ns of scopes) {
      // The bindings of the scope, looked up once: its grants (rulesFor) and its bindings to missing roles (unknownBindingsFor).
      const inScope = index.bindingsFor(user, ns).filter(([b]) => ns === undefined || values.namespace !== undefined || b.record.kind === 'RoleBinding');
      const grants: Grant[] = [];
      for (const [binding, subject] of inScope) if (binding.role) for (const rule of binding.role.rules) grants.push({ binding, subject, role: binding.role, rule });
      const rows = new Map<string, AccessRow>();
      for (const g of grants) {
        const r = g.rule.rule;
        const keys: [string, string, string][] =
          r.nonResourceURLs.length > 0 && r.resources.length === 0
            ? r.nonResourceURLs.map((u) => ['', u, ''])
            : r.resources.flatMap((res) => r.apiGroups.map((grp): [string, string, string] => [resourceDisplay(res, grp), '', r.resourceNames.join(',')]));
        for (const [res, url, names] of keys) {
          const k = `${res}\u0000${url}\u0000${names}`;
          let row = rows.get(k);
          if (!row) rows.set(k, (row = { resources: res, urls: url, names, verbs: new Set(), via: new Set() }));
          for (const v of r.verbs) row.verbs.add(v);
          row.via.add(`${g.binding.display} → ${g.role.display}`);
        }
      }
      const unknown = inScope.filter(([b]) => b.unresolved === 'missing-role').map(([b]) => missingRoleText(b));
      result.push({ scope: ns ?? 'cluster', rows: [...rows.values()].sort((a, b) => cmp(a.resources, b.resources) || cmp(a.urls, b.urls) || cmp(a.names, b.names)), unknown: [...new Set(unknown)] });
    }
    const incomplete = result.some((s) => s.unknown.length > 0);
    if (format === 'json') {
      json(io, {
        user: user.name,
        groups: user.groups,
        bypassesRbac: user.groups.includes('system:masters'),
        complete: !incomplete,
        scopes: result.map((s) => ({ scope: s.scope, rules: s.rows.map((r) => ({ resource: r.resources || undefined, nonResourceURL: r.urls || undefined, resourceNames: r.names === '' ? [] : r.names.split(','), verbs: [...r.verbs].sort(), via: [...r.via].sort() })), ...(s.unknown.length > 0 ? { unknown: s.unknown } : {}) })),
      });
      return incomplete ? 2 : 0;
    }
    let out = `${esc(`${user.name} (groups ${user.groups.join(', ')})`)}\n`;
    if (user.groups.includes('system:masters')) out += 'in group system:masters: bypasses RBAC, can do everything\n';
    for (const s of result) {
      out += `\n${s.scope === 'cluster' ? 'Cluster-wide (ClusterRoleBindings; in every namespace)' : `Namespace ${esc(s.scope)}${values.namespace !== undefined ? ' (ClusterRoleBindings and RoleBindings)' : ' (RoleBindings)'}`}:\n`;
      for (const u of s.unknown) out += `  unknown: ${esc(u)}\n`;
      if (s.rows.length === 0) {
        out += s.unknown.length > 0 ? '  nothing else\n' : '  nothing\n';
        continue;
      }
      out += table([['RESOURCES', 'NON-RESOURCE URLS', 'RESOURCE NAMES', 'VERBS'], ...s.rows.map((r) => [r.resources, r.urls, r.names === '' ? '[]' : `[${r.names}]`, `[${[...r.verbs].sort().join(' ')}]`])])
        .split('\n')
        .map((l) => (l === '' ? l : `  ${l}`))
        .join('\n');
    }
    io.stdout(out);
    return incomplete ? 2 : 0;
  };
}

// --- paths ------------------------------------------------------------------------------------------

function subjectArg(text: string | undefined, flag: string): SubjectRef | undefined {
  if (text === undefined) return undefined;
  const s = parseSubject(text);
  if (!s) throw new UsageError('usage', `${flag}: cannot read subject "${text}" (a user, system:serviceaccount:NS:NAME or group:NAME)`);
  return s;
}
