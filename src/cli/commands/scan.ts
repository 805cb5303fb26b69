/** `kspect scan [PATH|-]... [--cluster]`: scan manifests and/or a live cluster and report findings. */
import { normalizeK8sVersion } from '../../core/k8s-version.js';
import { UsageError } from '../../core/result.js';
import { escapeText } from '../../core/text.js';
import { guard, parse } from '../args.js';
import { packageVersion, type Io } from '../io.js';
import {
  CLUSTER_OPTIONS,
  CLUSTER_READ_OPTIONS,
  DEFAULT_NAMESPACE_OPTIONS,
  HELP_OPTION,
  K8S_VERSION_OPTIONS,
  NAMESPACE_OPTIONS,
  REPORT_OPTIONS,
  checkReportFlags,
  checksArg,
  clusterArgs,
  durationArg,
  choiceArg,
  k8sVersionArg,
  loadRunFiles,
  optionHelp,
  outputFlags,
  INPUT_OPTIONS,
  inputOptions,
} from '../options.js';
import { clusterReadOptions } from '../inputs.js';
import type { NotEvaluated } from '../../core/finding.js';
import type { Report } from '../../core/report.js';
import type { StreamingRun } from '../../framework/runner.js';
import type { K8sObject } from '../../model/object.js';

export const SCAN_HELP = `Usage: kspect scan [PATH|-]... [options]
       kspect scan --cluster [--context C] [-n NS]... [options]

Scan Kubernetes manifests: files, folders (recursive .yaml/.yml/.json), globs, and - for stdin.
Folders with a kustomization.yaml are rendered with \`kubectl kustomize\`.

Options:
${optionHelp(['format', 'output', 'fail-on', 'fail-on-not-evaluated', 'config', 'baseline', 'show-suppressed', 'allow-invalid', 'checks', 'severity', 'group-by', 'k8s-version', 'default-namespace'])}      --pss-level LEVEL    default Pod Security level for namespaces without labels (restricted)
      --pss-version V      default Pod Security version: latest or v1.N (latest)
      --max-file-size MB   largest file read, in MiB (64)
      --vulns FILE         import vulnerability scanner results: Trivy JSON (SchemaVersion 2, also trivy k8s) or
                           Grype JSON (repeatable); joined to workloads by image digest, then reference
${optionHelp(['follow-symlinks', 'allow-remote', 'allow-empty', 'values', 'jobs'])}
Live cluster (read-only: get and list only; Secrets as metadata only):
${optionHelp(['cluster', 'context', 'kubeconfig', 'request-timeout', 'timeout'])}  -n, --namespace NS       only these namespaces (repeatable); cluster-scoped objects are still read
      --keep-defaults      keep the fields the API server defaulted (default: removed where they equal the default)
      --apply-reports      write the findings to the cluster as PolicyReports (server-side apply, field manager
                           kspect; unchanged reports are not rewritten; kspect's stale reports are pruned) — the only
                           write kspect makes; --report-api wgpolicyk8s|openreports|auto (default auto)

The default --fail-on is high (or failOn in .kspect.yaml).
Exit codes: 0 nothing at or above --fail-on; 1 findings at or above it; 2 usage, configuration, input or internal error.
`;

export const SCAN_OPTIONS = {
  ...REPORT_OPTIONS,
  ...K8S_VERSION_OPTIONS,
  ...DEFAULT_NAMESPACE_OPTIONS,
  ...CLUSTER_OPTIONS,
  ...CLUSTER_READ_OPTIONS,
  ...NAMESPACE_OPTIONS,
  'pss-level': { type: 'string' },
  'pss-version': { type: 'string' },
  'max-file-size': { type: 'string' },
  vulns: { type: 'string', multiple: true },
  'keep-defaults': { type: 'boolean' },
  'apply-reports': { type: 'boolean' },
  ...INPUT_OPTIONS,
  ...HELP_OPTION,
} as const;

export type ScanValues = ReturnType<typeof parse<typeof SCAN_OPTIONS>>['values'];

/**
 * Parse scan-like flags and run the scan; shared with `baseline` and `report`. `pictures`: add the escalation paths
 * and the reachability section (always for `report`; for `scan` with `-f html`).
 */
export async function scanFromArgs(values: ScanValues, positionals: string[], io: Io, options: { readonly pictures?: boolean } = {}) {
  // Cluster flags without --cluster, and bad durations, are usage errors before anything is read.
  const cluster = clusterArgs(values, positionals, { mix: true, clusterOnly: ['namespace', 'keep-defaults'] });
  if (positionals.length === 0 && !cluster) throw new UsageError('usage', 'scan needs at least one PATH (or - for stdin), or --cluster');
  // Files are judged and let go before the report is made: mostly garbage (Io.heapUse); a cluster alone is held.
  if (positionals.length > 0) io.heapUse?.('garbage');
  const { config, baseline } = await loadRunFiles(values, io);
  const level = choiceArg(values['pss-level'], '--pss-level', ['privileged', 'baseline', 'restricted'] as const, config.pss?.level ?? 'restricted');
  const version = values['pss-version'] ?? config.pss?.version ?? 'latest';
  if (!/^(latest|v1\.\d+)$/.test(version)) throw new UsageError('usage', '--pss-version must be latest or v1.N');
  let k8s = k8sVersionArg(values['k8s-version']);
  let maxFileSize: number | undefined;
  if (values['max-file-size'] !== undefined) {
    const n = Number(values['max-file-size']);
    if (!Number.isFinite(n) || n <= 0) throw new UsageError('usage', '--max-file-size must be a positive number of MiB');
    maxFileSize = n * 1024 * 1024;
  }
  const only = await checksArg(values.checks);
  const toolVersion = await packageVersion();
  const pictures = values.format === 'html' || options.pictures === true;
  // --cluster alone: the objects are judged page by page while the lists go on (the object-local checks at once, the
  // others at the end), and the Report is the one judging them all at the end gives.
  const streamed = cluster && positionals.length === 0 && (values.vulns ?? []).length === 0 && values['default-namespace'] === undefined && !pictures;
  const stream = streamed ? new ClusterStream() : undefined;
  // With --cluster the checks and the report writers are loaded once the lists are sent: compiling them overlaps
  // the API server's work (a failed import is reported where the module is awaited).
  let checks: Promise<typeof import('../../api/scan.js')> | undefined;
  const live = cluster
    ? await readCluster(values, io, (read) => {
        checks = import('../../api/scan.js');
        import('../report-output.js').catch(() => undefined);
        if (stream) {
          // --k8s-version wins; else the scanned cluster's own version.
          const k8sVersion = k8s ?? (read.serverVersion !== undefined ? normalizeK8sVersion(read.serverVersion) : undefined);
          stream.start(
            Promise.all([import('../../api/run.js'), import('../../checks/index.js')]).then(([{ judgeStreaming }, { allChecks }]) =>
              judgeStreaming({
                checks: allChecks,
                config,
                ...(baseline ? { baseline } : {}),
                ...(only ? { only } : {}),
                settings: { pss: { level, version }, now: io.now(), ...(k8sVersion !== undefined ? { k8sVersion } : {}) },
                inputs: [`cluster:${read.context}`],
                toolVersion,
              }, allChecks),
            ),
          );
        }
      }, stream)
    : undefined;
  const judged = live && stream ? await stream.finish(live.notEvaluated) : undefined;
  // --k8s-version wins; else the scanned cluster's own version.
  if (k8s === undefined && live?.serverVersion !== undefined) k8s = normalizeK8sVersion(live.serverVersion);
  const vulns = values.vulns !== undefined && values.vulns.length > 0 ? await (await import('../../sources/vulns.js')).loadVulnerabilityReports(values.vulns) : undefined;
  // --cluster --vulns: what the workloads' pods run (status imageID), so scanner results join by repo digest.
  const running = live && vulns ? await readRunningImages(values) : undefined;
  const report = judged ?? (await (await (checks ?? import('../../api/scan.js'))).checkManifests({
    paths: positionals,
    ...(live ? { objects: live.objects, notEvaluated: [...live.notEvaluated, ...(running?.notEvaluated ?? [])], inputs: [`cluster:${live.context}`] } : {}),
    ...(vulns ? { objects: [...(live?.objects ?? []), ...vulns.objects, ...(running?.objects ?? [])], extraProblems: vulns.problems, inputs: [...(live ? [`cluster:${live.context}`] : []), ...(values.vulns ?? [])] } : {}),
    config,
    ...(baseline ? { baseline } : {}),
    ...(only ? { only } : {}),
    ...(values['default-namespace'] !== undefined ? { defaultNamespace: values['default-namespace'] } : {}),
    settings: { pss: { level, version }, now: io.now(), ...(k8s !== undefined ? { k8sVersion: k8s } : {}) },
    readStdin: io.readStdin,
    cwd: io.cwd,
    ...inputOptions(values),
    ...(maxFileSize !== undefined ? { maxFileSize } : {}),
    toolVersion,
    ...(pictures ? { pictures: true } : {}),
  }));
  // The namespaces whose objects were read (asked for with --apply-reports only): each gets a PolicyReport (empty when
  // clean).
  // kspect's own reports are not objects of the namespace: a namespace left with nothing else is pruned.
  const own = (o: { metadata: { labels: Readonly<Record<string, string>> } }): boolean => o.metadata.labels['app.kubernetes.io/managed-by'] === 'kspect';
  const namespaces = (): string[] => [...new Set((live?.objects ?? []).filter((o) => !own(o)).map((o) => o.metadata.namespace).filter((n): n is string => n !== undefined))].sort();
  return { report, config, namespaces };
}

/**
 * A cluster read judged as its pages come: the run starts when the lists are sent; pages handed over before it exists
 * wait for it. Voided (a list that failed or restarted after handing over objects): the objects are judged at the end
 * as without streaming.
 */
class ClusterStream {
  private run: Promise<StreamingRun> | undefined;
  private started: StreamingRun | undefined;
  private readonly waiting: (readonly K8sObject[])[] = [];
  private voided = false;
  /** An error of the runner while the lists went on (it must not pass for a failed list). */
  private failure: Error | undefined;

  start(run: Promise<StreamingRun>): void {
    this.run = run.then((r) => {
      this.started = r;
      for (const batch of this.waiting.splice(0)) this.add(batch);
      return r;
    });
    // Awaited in finish (a bad --checks is a usage error there, as without streaming).
    this.run.catch(() => undefined);
  }

  add(batch: readonly K8sObject[]): void {
    if (this.voided) return;
    if (!this.started) {
      this.waiting.push(batch);
      return;
    }
    try {
      this.started.add(batch);
    } catch (e) {
      this.failure = e instanceof Error ? e : new Error(`internal error while judging: ${typeof e === 'string' ? e : typeof e}`);
      this.void();
    }
  }

  void(): void {
    this.voided = true;
    this.waiting.length = 0;
  }

  /** The Report, or undefined when the objects must be judged at the end (voided, or the lists never started). */
  async finish(notEvaluated: readonly NotEvaluated[]): Promise<Report | undefined> {
    if (this.run === undefined) return undefined;
    const run = await this.run;
    if (this.failure !== undefined) throw this.failure;
    if (this.voided) return undefined;
    return run.finish({ notEvaluated });
  }
}

/** Read the cluster for `--cluster`, with a progress line on a terminal's stderr. */
async function readCluster(values: ScanValues, io: Io, onListsStarted: (read: { readonly context: string; readonly serverVersion?: string }) => void, stream?: ClusterStream) {
  const read = clusterReadOptions(values, io);
  const { loadCluster, ClusterError } = await import('../../sources/cluster.js');
  try {
    const live = await loadCluster({
      ...(values.kubeconfig !== undefined ? { kubeconfig: values.kubeconfig } : {}),
      ...(values.context !== undefined ? { context: values.context } : {}),
      ...(values.namespace !== undefined ? { namespaces: values.namespace } : {}),
      keepDefaults: values['keep-defaults'] ?? false,
      onListsStarted,
      ...(stream
        ? {
            onObjects: (batch: readonly K8sObject[]) => {
              stream.add(batch);
            },
            onObjectsVoid: () => {
              stream.void();
            },
          }
        : {}),
      ...read.options,
    });
    read.done();
    return live;
  } catch (e) {
    read.done();
    if (e instanceof ClusterError) throw new UsageError('cluster', e.message);
    throw e;
  }
}

async function readRunningImages(values: ScanValues) {
  const { ClusterError } = await import('../../sources/cluster.js');
  try {
    const requestTimeout = durationArg(values['request-timeout'], '--request-timeout');
    return await (await import('../../sources/registry/pods.js')).loadRunningImages({
      ...(requestTimeout !== undefined ? { timeoutMs: requestTimeout } : {}),
      ...(values.kubeconfig !== undefined ? { kubeconfig: values.kubeconfig } : {}),
      ...(values.context !== undefined ? { context: values.context } : {}),
      ...(values.namespace !== undefined ? { namespaces: values.namespace } : {}),
    });
  } catch (e) {
    if (e instanceof ClusterError) throw new UsageError('cluster', e.message);
    throw e;
  }
}

async function applyReports(values: ScanValues, report: Awaited<ReturnType<typeof scanFromArgs>>['report'], namespaces: readonly string[], io: Io): Promise<number> {
  const { applyPolicyReports } = await import('../../sources/policyreports.js');
  const { ClusterError } = await import('../../sources/cluster.js');
  const api = values['report-api'];
  const requestTimeout = durationArg(values['request-timeout'], '--request-timeout');
  try {
    const r = await applyPolicyReports(report, {
      ...(requestTimeout !== undefined ? { timeoutMs: requestTimeout } : {}),
      ...(values.kubeconfig !== undefined ? { kubeconfig: values.kubeconfig } : {}),
      ...(values.context !== undefined ? { context: values.context } : {}),
      api: api === 'wgpolicyk8s' || api === 'openreports' ? api : 'auto',
      namespaces,
      ...(values.namespace !== undefined ? { scope: values.namespace } : {}),
    });
    io.stderr(`kspect: ${r.api} reports: ${r.created.length} created, ${r.updated.length} updated, ${r.unchanged.length} unchanged, ${r.deleted.length} pruned\n`);
    return 0;
  } catch (e) {
    if (e instanceof ClusterError) {
      io.stderr(`kspect: --apply-reports: ${escapeText(e.message)}\n`);
      return 2;
    }
    throw e;
  }
}

export function run(argv: string[], io: Io): Promise<number> {
  return guard(io, async () => {
    const { values, positionals } = parse(argv, SCAN_OPTIONS);
    if (values.help) {
      io.stdout(SCAN_HELP);
      return 0;
    }
    await checkReportFlags(values);
    if (values['apply-reports'] === true && values.cluster !== true) throw new UsageError('usage', '--apply-reports needs --cluster');
    const { report, config, namespaces } = await scanFromArgs(values, positionals, io);
    const { emitReport } = await import('../report-output.js');
    const code = await emitReport(report, outputFlags(values, config, 'high'), io);
    if (values['apply-reports'] === true) {
      const applied = await applyReports(values, report, namespaces(), io);
      if (applied !== 0) return applied;
    }
    return code;
  });
}
