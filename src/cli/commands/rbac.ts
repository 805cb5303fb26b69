/**
 * `kspect rbac can-i | who-can | access | risks | paths`: the questions `kubectl auth can-i` answers,
 * for anyone, offline, with the binding → role → rule behind each answer.
 * The inventory comes from an InventorySource (default: `-f PATH` files), so other sources can plug in.
 */
import type { Problem } from '../../core/finding.js';
import { UsageError } from '../../core/result.js';
import { fails, severityRank, type FailOn } from '../../core/severity.js';
import {
  ADMIN_NODE,
  buildRbacIndex,
  crdScopes,
  escalationPaths,
  findDangers,
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
  type BindingEntry,
  type Grant,
  type RbacIndex,
  type SubjectRef,
  type UserInfo,
} from '../../engines/rbac/index.js';
import type { Inventory } from '../../model/inventory.js';
import { pathsToDot, pathsToMermaid } from '../../reporters/rbac-graph.js';
import { choiceArg, guard, parse, severityArg } from '../args.js';
import { CLUSTER_FLAGS, CLUSTER_FLAGS_HELP, checkClusterFlags, loadClusterInputs, loadInputs, problemLine } from '../inputs.js';
import type { Io } from '../io.js';

export const RBAC_HELP = `Usage: kspect rbac <question> [options]

Questions:
  can-i VERB RESOURCE[/SUB] --as USER [--as-group G]... [-n NS] [--name N]
                      can USER do it? yes (exit 0) or no (exit 1), with the binding → role → rule
  who-can VERB RESOURCE[/SUB] [-n NS | -A] [--name N]
                      every user, group and service account that can (default: any namespace)
  access SUBJECT [--as-group G]... [-n NS]
                      everything SUBJECT can do, per namespace (like kubectl auth can-i --list)
  risks [--fail-on SEV] [--include-defaults]
                      dangerous permissions, by subject
  paths [--from SUBJECT] [--to cluster-admin|SUBJECT] [--format table|json|dot|mermaid]
                      shortest escalation paths to cluster-admin

RESOURCE is named as kubectl names it: pods, pods/exec, deployments.apps, deployments.apps/scale;
a non-resource URL starts with / (e.g. /healthz). SUBJECT is a user name, system:serviceaccount:NS:NAME,
or group:NAME.

Options:
  -f, --filename PATH   input: file, folder, glob or - for stdin (repeatable), e.g. the output of
                        kubectl get roles,clusterroles,rolebindings,clusterrolebindings,serviceaccounts -A -o yaml
${CLUSTER_FLAGS_HELP}  -n, --namespace NS    namespace of the question (can-i default: default)
  -A, --all-namespaces  who-can: any namespace (the default); can-i: a request across all namespaces
      --name N          the object's name (resourceNames rules match only named requests)
      --as USER         the user asking; system:serviceaccount:NS:NAME for a service account
      --as-group G      a group of the user (repeatable); implicit groups are added as kube-apiserver does
      --with-defaults   add the Kubernetes default roles AND bindings the input lacks
      --no-default-roles do not resolve references to default ClusterRoles (edit, view, admin, system:…)
                        that the input lacks (they are resolved by default: every cluster has them)
      --default-namespace NS  namespace of Roles/RoleBindings that name none (as kubectl apply -n NS)
      --k8s-version V   Kubernetes version, e.g. 1.34 (exec/attach/portforward need create from 1.35)
      --format FORMAT   table (default) or json; paths also dot and mermaid
  -q, --quiet           can-i: print nothing, answer by exit code
      --allow-invalid   do not exit 2 because some input was invalid
  -h, --help

Exit codes: can-i 0 yes, 1 no; risks 1 when a risk is at or above --fail-on; 2 usage or input error, or
an incomplete answer: a binding that applies references a role that is not in the input ("unknown").
`;

const OPTIONS = {
  filename: { type: 'string', short: 'f', multiple: true },
  ...CLUSTER_FLAGS,
  namespace: { type: 'string', short: 'n' },
  'all-namespaces': { type: 'boolean', short: 'A' },
  name: { type: 'string' },
  as: { type: 'string' },
  'as-group': { type: 'string', multiple: true },
  'with-defaults': { type: 'boolean' },
  'no-default-roles': { type: 'boolean' },
  'k8s-version': { type: 'string' },
  'default-namespace': { type: 'string' },
  format: { type: 'string', short: 'o' },
  quiet: { type: 'boolean', short: 'q' },
  'allow-invalid': { type: 'boolean' },
  'fail-on': { type: 'string' },
  'include-defaults': { type: 'boolean' },
  from: { type: 'string' },
  to: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

type Values = ReturnType<typeof parse<typeof OPTIONS>>['values'];

/** Where the objects come from. The default reads `-f` paths; a cluster source can replace it. */
export interface InventorySource {
  load(values: { readonly filename?: readonly string[] }, io: Io): Promise<{ inventory: Inventory; problems: readonly Problem[]; failed: boolean }>;
}

/** `--cluster`: the roles, bindings and service accounts of a live cluster. */
export const CLUSTER_SOURCE: InventorySource = {
  load: (values, io) => loadClusterInputs(values as { cluster?: boolean; context?: string; kubeconfig?: string }, io),
};

export const FILE_SOURCE: InventorySource = {
  async load(values, io) {
    const paths = values.filename ?? [];
    if (paths.length === 0) throw new UsageError('usage', 'rbac needs input: -f PATH (file, folder, glob, or - for stdin)');
    return loadInputs(paths, io);
  },
};

const SUBCOMMANDS = ['can-i', 'who-can', 'access', 'risks', 'paths'] as const;

export function run(argv: string[], io: Io, source: InventorySource = FILE_SOURCE): Promise<number> {
  return guard(io, async () => {
    const { values, positionals } = parse(argv, OPTIONS);
    const [sub, ...args] = positionals;
    if (values.help || sub === undefined) {
      io.stdout(RBAC_HELP);
      return values.help ? 0 : 2;
    }
    if (!(SUBCOMMANDS as readonly string[]).includes(sub)) throw new UsageError('usage', `unknown rbac question "${sub}" (one of ${SUBCOMMANDS.join(', ')})`);
    const format = choiceArg(values.format, '--format', sub === 'paths' ? (['table', 'json', 'dot', 'mermaid'] as const) : (['table', 'json'] as const), 'table');
    const k8s = values['k8s-version']?.replace(/^v/, '');
    if (k8s !== undefined && !/^1\.\d+$/.test(k8s)) throw new UsageError('usage', '--k8s-version must look like 1.34');
    if (values['with-defaults'] && values['no-default-roles']) throw new UsageError('usage', '--with-defaults and --no-default-roles contradict each other');
    // Validate the question before reading input, so usage errors come first.
    const ask = prepare(sub as (typeof SUBCOMMANDS)[number], args, values);
    checkClusterFlags(values);
    if (values.cluster && (values.filename ?? []).length > 0) throw new UsageError('usage', 'use -f or --cluster, not both');
    const loaded = await (values.cluster ? CLUSTER_SOURCE : source).load(values, io);
    const index = buildRbacIndex(loaded.inventory.objects, {
      defaults: values['with-defaults'] ? 'all' : values['no-default-roles'] ? 'none' : 'roles',
      ...(k8s !== undefined ? { k8sVersion: k8s } : {}),
      ...(values['default-namespace'] !== undefined ? { defaultNamespace: values['default-namespace'] } : {}),
    });
    for (const p of index.problems) io.stderr(problemLine(p));
    const invalid = (loaded.failed || index.problems.some((p) => p.severity === 'error')) && !values['allow-invalid'];
    const code = ask(index, loaded.inventory, format, io);
    return invalid ? 2 : code;
  });
}

type Answer = (index: RbacIndex, inventory: Inventory, format: string, io: Io) => number;

function prepare(sub: (typeof SUBCOMMANDS)[number], args: string[], values: Values): Answer {
  switch (sub) {
    case 'can-i':
      return canI(args, values);
    case 'who-can':
      return whoCan(args, values);
    case 'access':
      return access(args, values);
    case 'risks':
      if (args.length > 0) throw new UsageError('usage', 'risks takes no arguments');
      return risks(values);
    case 'paths':
      if (args.length > 0) throw new UsageError('usage', 'paths takes no arguments (use --from, --to)');
      return paths(values);
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

/** A binding whose role is missing from the input, named for an "unknown" answer. */
function missingLine(b: BindingEntry): string {
  return `${b.display} references ${b.record.roleRef.kind} ${b.record.roleRef.name}, which is not in the input: what it grants is unknown`;
}

function missingJson(b: BindingEntry): Record<string, unknown> {
  return {
    binding: { kind: b.record.kind, name: b.record.name, ...(b.record.namespace !== undefined ? { namespace: b.record.namespace } : {}) },
    missingRole: { kind: b.record.roleRef.kind, name: b.record.roleRef.name, ...(b.record.roleRef.kind === 'Role' && b.record.namespace !== undefined ? { namespace: b.record.namespace } : {}) },
  };
}

function json(io: Io, v: unknown): void {
  io.stdout(`${JSON.stringify(v, null, 2)}\n`);
}

function table(rows: readonly (readonly string[])[]): string {
  if (rows.length === 0) return '';
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
      if (unknown) for (const [b] of d.unknown) out += `  ${missingLine(b)}\n`;
      if (d.reason === 'system:masters') out += `  ${user.name} is in group system:masters, which bypasses RBAC\n`;
      for (const g of d.grants) out += `  ${grantLine(g)}\n`;
      if (!d.allowed) {
        const applying = index.bindingsFor(user, req.kind === 'resource' ? req.namespace : undefined);
        out += `  no rule allows ${requestDisplay(req)} for ${user.name} (groups ${user.groups.join(', ')})`;
        out += applying.length === 0 ? '; no binding applies to them\n' : `; ${new Set(applying.map(([b]) => b)).size} binding(s) apply, none with a matching rule\n`;
        for (const [b] of new Map(applying.map(([b, s]) => [b, s]))) if (b.unresolved === 'wrong-kind') out += `  ${b.display} references ${b.record.roleRef.kind} ${b.record.roleRef.name}, which is of the wrong kind: it grants nothing\n`;
        if (elsewhere.length > 0) out += `  (allowed in namespace${elsewhere.length > 1 ? 's' : ''} ${elsewhere.join(', ')})\n`;
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
    entries.sort((a, b) => cmp(subjectKey(a.subject), subjectKey(b.subject)) || cmp(a.scope, b.scope) || cmp(a.binding.display, b.binding.display));
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
    io.stdout(`${requestDisplay(req)}${anyNamespace ? ' (or in any namespace)' : ''}\n${table(rows)}`);
    if (unknown.length > 0) io.stdout(`incomplete: ${unknown.length} binding(s) in scope reference roles that are not in the input; their subjects may also be able to\n`);
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
      const grants = index.rulesFor(user, ns).filter((g) => ns === undefined || values.namespace !== undefined || g.binding.record.kind === 'RoleBinding');
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
      const unknown = index.unknownBindingsFor(user, ns).filter(([b]) => ns === undefined || values.namespace !== undefined || b.record.kind === 'RoleBinding').map(([b]) => missingLine(b));
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
    let out = `${user.name} (groups ${user.groups.join(', ')})\n`;
    if (user.groups.includes('system:masters')) out += 'in group system:masters: bypasses RBAC, can do everything\n';
    for (const s of result) {
      out += `\n${s.scope === 'cluster' ? 'Cluster-wide (ClusterRoleBindings; in every namespace)' : `Namespace ${s.scope}${values.namespace !== undefined ? ' (ClusterRoleBindings and RoleBindings)' : ' (RoleBindings)'}`}:\n`;
      for (const u of s.unknown) out += `  unknown: ${u}\n`;
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

// --- risks ------------------------------------------------------------------------------------------

function risks(values: Values): Answer {
  const failOn: FailOn | undefined = values['fail-on'] !== undefined ? severityArg(values['fail-on'], '--fail-on', 'high') : undefined;
  return (index, _inventory, format, io) => {
    const hits = findDangers(index).filter((h) => values['include-defaults'] || !h.binding.record.isDefault);
    const rows = hits.flatMap((h) => h.subjects.map((s) => ({ h, s })));
    // Bindings to missing roles: what they grant is unknown, so the list of risks is incomplete.
    const unknown = index.missingRoleBindings.filter((b) => b.record.subjects.length > 0 && (values['include-defaults'] || !b.record.isDefault));
    rows.sort((a, b) => severityRank(b.h.severity) - severityRank(a.h.severity) || cmp(subjectKey(a.s), subjectKey(b.s)) || cmp(a.h.danger.id, b.h.danger.id) || cmp(a.h.scope, b.h.scope));
    if (format === 'json') {
      json(io, {
        risks: rows.map(({ h, s }) => ({
          checkId: h.danger.id,
          severity: h.severity,
          subject: s,
          scope: h.scope,
          what: h.danger.what,
          binding: { kind: h.binding.record.kind, name: h.binding.record.name, ...(h.binding.record.namespace !== undefined ? { namespace: h.binding.record.namespace } : {}), default: h.binding.record.isDefault },
          role: { kind: h.role.record.kind, name: h.role.record.name, default: h.role.record.isDefault },
          ruleIndex: h.rule.index,
          rule: h.rule.rule,
        })),
        complete: unknown.length === 0,
        ...(unknown.length > 0 ? { unknown: unknown.map((b) => ({ ...missingJson(b), subjects: b.record.subjects.map(subjectOf) })) } : {}),
      });
    } else {
      const t = [['SEVERITY', 'CHECK', 'SUBJECT', 'SCOPE', 'VIA'], ...rows.map(({ h, s }) => [h.severity, h.danger.id, subjectDisplay(s), h.scope, `${h.binding.display}${h.binding.record.isDefault ? ' [default]' : ''} → ${h.role.display} rules[${h.rule.index}]: ${ruleDisplay(h.rule.rule)}`])];
      for (const b of unknown) for (const s of b.record.subjects) t.push(['unknown', '-', subjectDisplay(subjectOf(s)), b.record.kind === 'ClusterRoleBinding' ? 'cluster' : (b.record.namespace ?? 'default'), `${b.display} → ${b.record.roleRef.kind} ${b.record.roleRef.name} (not in the input): its permissions are unknown`]);
      io.stdout(rows.length === 0 && unknown.length === 0 ? 'no dangerous permissions found\n' : table(t));
      if (unknown.length > 0) io.stdout(`incomplete: ${unknown.length} binding(s) reference roles that are not in the input\n`);
    }
    if (failOn !== undefined && hits.some((h) => fails(h.severity, failOn))) return 1;
    return unknown.length > 0 ? 2 : 0;
  };
}

// --- paths ------------------------------------------------------------------------------------------

function subjectArg(text: string | undefined, flag: string): SubjectRef | undefined {
  if (text === undefined) return undefined;
  const s = parseSubject(text);
  if (!s) throw new UsageError('usage', `${flag}: cannot read subject "${text}" (a user, system:serviceaccount:NS:NAME or group:NAME)`);
  return s;
}

function paths(values: Values): Answer {
  const from = subjectArg(values.from, '--from');
  const to = values.to === undefined || values.to === ADMIN_NODE ? undefined : subjectArg(values.to, '--to');
  return (index, _inventory, format, io) => {
    const { graph, paths: found } = escalationPaths(index, { ...(from ? { from } : {}), ...(to ? { target: to } : {}) });
    const labels = new Map<string, string>([...graph.nodes].map(([k, n]) => [k, n.label]));
    const admins = graph.admins.map(subjectDisplay).sort();
    if (format === 'dot') io.stdout(pathsToDot(found, labels));
    else if (format === 'mermaid') io.stdout(pathsToMermaid(found, labels));
    else if (format === 'json') {
      json(io, {
        target: to ? subjectKey(to) : ADMIN_NODE,
        admins: graph.admins,
        paths: found.map((p) => ({ from: p.from, length: p.steps.length, steps: p.steps.map((s) => ({ from: s.from, to: s.to, kind: s.kind, description: s.description, ...(s.grant ? { grant: grantJson(s.grant) } : {}) })) })),
      });
    } else {
      let out = `cluster-admin equivalent already: ${admins.length === 0 ? 'none' : admins.join(', ')}\n`;
      if (found.length === 0) out += `no escalation path${from ? ` from ${subjectDisplay(from)}` : ''} to ${to ? subjectDisplay(to) : 'cluster-admin'}\n`;
      for (const p of found) {
        out += `\n${subjectDisplay(p.from)} → ${to ? subjectDisplay(to) : 'cluster-admin'} in ${p.steps.length} step${p.steps.length === 1 ? '' : 's'}:\n`;
        p.steps.forEach((s, i) => (out += `  ${i + 1}. ${labels.get(s.from) ?? s.from} ⇒ ${labels.get(s.to) ?? s.to}: ${s.description}\n`));
      }
      io.stdout(out);
    }
    return 0;
  };
}
