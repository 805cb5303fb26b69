/**
 * `kspect pss check --level L --version V PATH...`: judge every Pod and workload pod template against a
 * Pod Security Standards level and policy version, as the PodSecurity admission controller would — one Report
 * from the one runner (checks pss-baseline and pss-restricted), in every report format.
 */
import { checkPodSecurity } from '../../api/pss.js';
import type { Report } from '../../core/report.js';
import { UsageError } from '../../core/result.js';
import { severityRank } from '../../core/severity.js';
import { isPssLevel, parsePssVersion, PSS_LEVELS, resolveMinor } from '../../engines/pss/index.js';
import { guard, parse } from '../args.js';
import { loadClusterInputs, manifestRunOptions } from '../inputs.js';
import type { Io } from '../io.js';
import { CLUSTER_OPTIONS, CLUSTER_READ_OPTIONS, DEFAULT_NAMESPACE_OPTIONS, HELP_OPTION, K8S_VERSION_OPTIONS, REPORT_OPTIONS, checkReportFlags, checksArg, clusterArgs, k8sVersionArg, loadRunFiles, optionHelp, outputFlags, INPUT_OPTIONS } from '../options.js';
import { emitReport } from '../report-output.js';
import { maxOf } from '../../core/arrays.js';

export const PSS_HELP = `Usage: kspect pss check [PATH|-]... [options]

Judge every Pod and the pod template of every workload (Deployment, StatefulSet, DaemonSet, ReplicaSet,
ReplicationController, Job, CronJob, PodTemplate) against a Pod Security Standards level, exactly as the
PodSecurity admission controller decides at that policy version. The level applies to every object
(kspect scan honours the namespaces' pod-security.kubernetes.io labels instead). One finding per violated
control: pss-baseline for the baseline controls, pss-restricted for those only restricted adds.

Options:
  -l, --level LEVEL        baseline, restricted (default) or privileged
      --version V          policy version: latest (default) or v1.N, as in pod-security.kubernetes.io/enforce-version
      --k8s-version V      the API server's version (1.34, v1.34, 1.34.2): newer policy versions and latest evaluate at it
${optionHelp(['default-namespace', ...Object.keys(REPORT_OPTIONS), 'cluster', 'context', 'kubeconfig', 'request-timeout', 'timeout', 'follow-symlinks', 'allow-remote', 'allow-empty', 'values', 'jobs', 'help'])}
The default --fail-on is the severity of the level's checks (--level restricted: medium, so any object admission
would deny fails; baseline: high); --fail-on none reports only.
Exit codes: 0 nothing at or above --fail-on; 1 a violation at or above it; 2 usage error or input that could not be
read or is not valid (fields of the wrong type are input errors: the API server would reject them).
`;

const OPTIONS = {
  level: { type: 'string', short: 'l' },
  version: { type: 'string' },
  ...K8S_VERSION_OPTIONS,
  ...DEFAULT_NAMESPACE_OPTIONS,
  ...REPORT_OPTIONS,
  ...CLUSTER_OPTIONS,
  ...INPUT_OPTIONS,
  ...CLUSTER_READ_OPTIONS,
  ...HELP_OPTION,
} as const;

/** The verdict line under the table: how many objects admission would allow and deny. */
function verdictLine(report: Report, policy: string): string {
  const objects = maxOf((report.results ?? []).map((r) => r.objects), 0);
  const denied = new Set([...report.findings, ...report.suppressed.map((s) => s.finding)].map((f) => `${f.resource?.kind ?? ''}/${f.resource?.namespace ?? ''}/${f.resource?.name ?? ''}`)).size;
  return `${policy}: ${objects} ${objects === 1 ? 'object' : 'objects'}, ${objects - denied} allowed, ${denied} denied\n`;
}

async function check(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(argv, OPTIONS);
  if (values.help) {
    io.stdout(PSS_HELP);
    return 0;
  }
  await checkReportFlags(values);
  const level = values.level ?? 'restricted';
  if (!isPssLevel(level)) throw new UsageError('usage', `--level must be one of ${PSS_LEVELS.join(', ')}`);
  const version = values.version ?? 'latest';
  const parsed = parsePssVersion(version);
  if (!parsed) throw new UsageError('usage', '--version must be latest or v1.N (e.g. v1.30)');
  const k8s = k8sVersionArg(values['k8s-version']);
  const cluster = clusterArgs(values, positionals);
  if (positionals.length === 0 && !cluster) throw new UsageError('usage', 'pss check needs at least one PATH (or - for stdin), or --cluster');
  const { config, baseline } = await loadRunFiles(values, io);
  const only = await checksArg(values.checks);
  const live = cluster ? await loadClusterInputs(values, io) : undefined;
  const report = await checkPodSecurity({
    level,
    version,
    ...(await manifestRunOptions(values, io, { paths: positionals, live, config, baseline, only, k8s })),
  });
  // One line for one fact: an input that held nothing at all has said so already ("nothing to scan").
  const nothing = report.problems.some((p) => p.code === 'nothing-to-scan');
  if (!nothing && (report.results ?? []).every((r) => r.objects === 0)) io.stderr('kspect: warning: no Pod or workload with a pod template in the input\n');
  const minor = resolveMinor(parsed, k8s !== undefined ? { serverMinor: Number(k8s.slice(2)) } : {});
  const policy = `${level}:${version}${parsed.latest ? ` (v1.${minor})` : ''}`;
  // Any object the level denies fails the run by default: the lowest severity its checks run at.
  const severities = (report.results ?? []).map((r) => r.severity);
  const defaultFailOn = level === 'restricted' && severities.length > 0 ? severities.reduce((a, b) => (severityRank(a) <= severityRank(b) ? a : b)) : 'high';
  return emitReport(report, outputFlags(values, config, defaultFailOn), io, { after: () => verdictLine(report, policy) });
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
