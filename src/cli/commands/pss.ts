/**
 * `kspect pss check --level L --version V PATH...`: judge every Pod and workload pod template against a
 * Pod Security Standards level and policy version, as the PodSecurity admission controller would.
 * Exit 0 when every object is allowed, 1 when any is denied, 2 on bad usage or bad input.
 */
import { UsageError } from '../../core/result.js';
import {
  evaluateObject,
  formatPolicy,
  isPssLevel,
  parsePssVersion,
  PSS_LEVELS,
  resolveMinor,
  serverMinorOf,
  type EvaluateOptions,
  type PssEvaluation,
  type PssPolicy,
} from '../../engines/pss/index.js';
import type { K8sObject } from '../../model/object.js';
import { choiceArg, guard, parse } from '../args.js';
import { CLUSTER_FLAGS, CLUSTER_FLAGS_HELP, checkClusterFlags, loadClusterInputs, loadInputs } from '../inputs.js';
import { useColor, type Io } from '../io.js';

export const PSS_HELP = `Usage: kspect pss check [PATH|-]... [options]

Judge every Pod and the pod template of every workload (Deployment, StatefulSet, DaemonSet, ReplicaSet,
ReplicationController, Job, CronJob, PodTemplate) against a Pod Security Standards level, exactly as the
PodSecurity admission controller decides at that policy version.

Options:
  -l, --level LEVEL      baseline, restricted (default) or privileged
      --version V        policy version: latest (default) or v1.N, as in pod-security.kubernetes.io/enforce-version
      --k8s-version V    the API server's version (e.g. 1.33): newer policy versions and latest evaluate at it
  -f, --format FORMAT    table (default) or json (one record per object)
${CLUSTER_FLAGS_HELP}  -h, --help             this help

Exit codes: 0 every object allowed; 1 some object denied; 2 usage error or input that could not be read
or is not valid (fields of the wrong type are input errors: the API server would reject them).
`;

const OPTIONS = {
  level: { type: 'string', short: 'l' },
  version: { type: 'string' },
  'k8s-version': { type: 'string' },
  format: { type: 'string', short: 'f' },
  ...CLUSTER_FLAGS,
  help: { type: 'boolean', short: 'h' },
} as const;

/** One object's outcome, as `--format json` prints it. */
export interface PssRecord {
  readonly file: string;
  readonly line?: number;
  readonly apiVersion: string;
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
  readonly level: string;
  /** The policy version applied (`latest` resolves to the newest, e.g. v1.37). */
  readonly version: string;
  readonly allowed: boolean;
  readonly violations: readonly { readonly check: string; readonly reason: string; readonly detail: string; readonly paths: readonly string[] }[];
  /** Fields of the wrong type (only when there are some): the API server would reject the object. */
  readonly malformed?: readonly { readonly path: string; readonly expected: string }[];
}

function recordOf(obj: K8sObject, r: PssEvaluation): PssRecord {
  return {
    file: obj.origin.source.uri,
    ...(obj.origin.location ? { line: obj.origin.location.line } : {}),
    apiVersion: obj.apiVersion,
    kind: obj.kind,
    ...(obj.metadata.namespace !== undefined ? { namespace: obj.metadata.namespace } : {}),
    name: obj.metadata.name,
    level: r.level,
    version: r.version,
    allowed: r.allowed,
    violations: r.violations.map((v) => ({ check: v.check, reason: v.reason, detail: v.detail, paths: v.paths })),
    ...(r.malformed.length > 0 ? { malformed: r.malformed } : {}),
  };
}

function where(obj: K8sObject, path?: string): string {
  const loc = (path !== undefined ? obj.origin.locate(path) : undefined) ?? obj.origin.location;
  return loc ? `${loc.file}:${loc.line}` : obj.origin.source.uri;
}

function table(results: readonly { obj: K8sObject; r: PssEvaluation }[], policy: string, color: boolean): string {
  const paint = (code: string, s: string): string => (color ? `\u001b[${code}m${s}\u001b[0m` : s);
  const out: string[] = [];
  for (const { obj, r } of results) {
    const id = `${obj.kind} ${obj.metadata.namespace !== undefined ? `${obj.metadata.namespace}/` : ''}${obj.metadata.name}`;
    out.push(`${r.allowed ? paint('32', 'allowed') : paint('31', 'denied ')}  ${id}  (${where(obj)})`);
    for (const v of r.violations) {
      out.push(`    ${paint('1', v.check)}: ${v.reason} — ${v.detail}`);
      for (const p of v.paths) out.push(`      at ${p} (${where(obj, p)})`);
    }
  }
  const denied = results.filter((x) => !x.r.allowed).length;
  out.push('');
  out.push(`${policy}: ${results.length} ${results.length === 1 ? 'object' : 'objects'}, ${results.length - denied} allowed, ${denied} denied`);
  return `${out.join('\n')}\n`;
}

async function check(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(argv, OPTIONS);
  if (values.help) {
    io.stdout(PSS_HELP);
    return 0;
  }
  const levelText = values.level ?? 'restricted';
  if (!isPssLevel(levelText)) throw new UsageError('usage', `--level must be one of ${PSS_LEVELS.join(', ')}`);
  const version = parsePssVersion(values.version ?? 'latest');
  if (!version) throw new UsageError('usage', '--version must be latest or v1.N (e.g. v1.30)');
  const k8s = values['k8s-version'];
  const serverMinor = serverMinorOf(k8s);
  if (k8s !== undefined && serverMinor === undefined) throw new UsageError('usage', '--k8s-version must look like 1.33');
  const format = choiceArg(values.format, '--format', ['table', 'json'] as const, 'table');
  checkClusterFlags(values);
  if (values.cluster && positionals.length > 0) throw new UsageError('usage', 'use PATHs or --cluster, not both');
  if (positionals.length === 0 && !values.cluster) throw new UsageError('usage', 'pss check needs at least one PATH (or - for stdin)');

  const policy: PssPolicy = { level: levelText, version };
  const options: EvaluateOptions = serverMinor !== undefined ? { serverMinor } : {};
  const loaded = values.cluster ? await loadClusterInputs(values, io) : await loadInputs(positionals, io);
  const results: { obj: K8sObject; r: PssEvaluation }[] = [];
  let invalid = loaded.failed;
  for (const obj of loaded.inventory.objects) {
    const r = evaluateObject(obj, policy, options);
    if (!r) continue;
    results.push({ obj, r });
    for (const m of r.malformed) {
      invalid = true;
      io.stderr(`kspect: ${where(obj, m.path)}: ${obj.kind} ${obj.metadata.name}: ${m.path} must be ${m.expected}; the API server would reject this object\n`);
    }
  }
  if (results.length === 0) io.stderr('kspect: warning: no Pod or workload with a pod template in the input\n');
  const resolved = `v1.${resolveMinor(version, options)}`;
  const label = `${formatPolicy(policy)}${policy.version.latest ? ` (${resolved})` : ''}`;
  if (format === 'json') io.stdout(`${JSON.stringify(results.map(({ obj, r }) => recordOf(obj, r)), null, 2)}\n`);
  else io.stdout(table(results, label, useColor(io, true)));
  if (invalid) return 2;
  return results.some((x) => !x.r.allowed) ? 1 : 0;
}

export function run(argv: string[], io: Io): Promise<number> {
  return guard(io, async () => {
    const [sub, ...rest] = argv;
    if (sub === undefined || sub === '--help' || sub === '-h' || sub === 'help') {
      io.stdout(PSS_HELP);
      return sub === undefined ? 2 : 0;
    }
    if (sub !== 'check') throw new UsageError('usage', `unknown pss subcommand "${sub}" (try: kspect pss check --help)`);
    return check(rest, io);
  });
}
