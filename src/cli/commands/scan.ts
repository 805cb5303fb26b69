/** `kspect scan [PATH|-]... [--cluster]`: scan manifests and/or a live cluster and report findings. */
import { audit } from '../../api.js';
import { allChecks } from '../../checks/index.js';
import { UsageError } from '../../core/result.js';
import { loadBaseline, loadConfig } from '../../sources/config.js';
import { choiceArg, guard, parse, severityArg } from '../args.js';
import { packageVersion, type Io } from '../io.js';
import { checkFormat, emitReport } from '../report-output.js';

export const SCAN_HELP = `Usage: kspect scan [PATH|-]... [options]
       kspect scan --cluster [--context C] [-n NS]... [options]

Scan Kubernetes manifests: files, folders (recursive .yaml/.yml/.json), globs, and - for stdin.
Folders with a kustomization.yaml are rendered with \`kubectl kustomize\`.

Options:
  -f, --format FORMAT     table (default), json, sarif, junit, markdown
  -o, --output FILE       write the report to FILE instead of stdout
      --fail-on SEV       exit 1 when a finding is at or above SEV (default high): critical, high, medium, low, info
      --config FILE       configuration (default: ./.kspect.yaml when present)
      --baseline FILE     suppress the findings accepted in FILE (see kspect baseline)
      --show-suppressed   list suppressed findings too
      --allow-invalid     do not exit 2 because an input could not be read or parsed
      --checks IDS        run only these checks (comma-separated)
      --pss-level LEVEL   default Pod Security level for namespaces without labels (restricted)
      --pss-version V     default Pod Security version: latest or v1.N (latest)
      --k8s-version V     Kubernetes version the manifests target, e.g. 1.34
      --max-file-size MB  largest file read, in MiB (64)
      --vulns FILE        import vulnerability scanner results: Trivy JSON (SchemaVersion 2, also trivy k8s) or
                          Grype JSON (repeatable); joined to workloads by image digest, then reference

Live cluster (read-only: get and list only; Secrets as metadata only):
      --cluster           scan the cluster of the current kubeconfig context (or the in-cluster service account)
      --context C         kubeconfig context to use
      --kubeconfig FILE   kubeconfig file (default: $KUBECONFIG, then ~/.kube/config)
  -n, --namespace NS      only these namespaces (repeatable); cluster-scoped objects are still read
      --fail-on-not-evaluated  exit 1 when something could not be read or evaluated (e.g. forbidden lists)
      --keep-defaults     keep the fields the API server defaulted (default: removed where they equal the default)
`;

export const SCAN_OPTIONS = {
  format: { type: 'string', short: 'f' },
  output: { type: 'string', short: 'o' },
  'fail-on': { type: 'string' },
  config: { type: 'string' },
  baseline: { type: 'string' },
  'show-suppressed': { type: 'boolean' },
  'allow-invalid': { type: 'boolean' },
  checks: { type: 'string' },
  'pss-level': { type: 'string' },
  'pss-version': { type: 'string' },
  'k8s-version': { type: 'string' },
  'max-file-size': { type: 'string' },
  vulns: { type: 'string', multiple: true },
  cluster: { type: 'boolean' },
  context: { type: 'string' },
  kubeconfig: { type: 'string' },
  namespace: { type: 'string', short: 'n', multiple: true },
  'fail-on-not-evaluated': { type: 'boolean' },
  'keep-defaults': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

export type ScanValues = ReturnType<typeof parse<typeof SCAN_OPTIONS>>['values'];

/** Parse scan-like flags and run the audit; shared with `baseline`. */
export async function scanFromArgs(values: ScanValues, positionals: string[], io: Io) {
  const cluster = values.cluster ?? false;
  if (!cluster) {
    for (const flag of ['context', 'kubeconfig', 'namespace', 'keep-defaults'] as const) if (values[flag] !== undefined) throw new UsageError('usage', `--${flag} needs --cluster`);
  }
  if (positionals.length === 0 && !cluster) throw new UsageError('usage', 'scan needs at least one PATH (or - for stdin), or --cluster');
  const known = new Set(allChecks.map((c) => c.id));
  const { config } = await loadConfig(values.config, io.cwd, known);
  const baseline = values.baseline !== undefined ? await loadBaseline(values.baseline) : undefined;
  const level = choiceArg(values['pss-level'], '--pss-level', ['privileged', 'baseline', 'restricted'] as const, config.pss?.level ?? 'restricted');
  const version = values['pss-version'] ?? config.pss?.version ?? 'latest';
  if (!/^(latest|v1\.\d+)$/.test(version)) throw new UsageError('usage', '--pss-version must be latest or v1.N');
  const k8s = values['k8s-version']?.replace(/^v/, '');
  if (k8s !== undefined && !/^1\.\d+$/.test(k8s)) throw new UsageError('usage', '--k8s-version must look like 1.34');
  let maxFileSize: number | undefined;
  if (values['max-file-size'] !== undefined) {
    const n = Number(values['max-file-size']);
    if (!Number.isFinite(n) || n <= 0) throw new UsageError('usage', '--max-file-size must be a positive number of MiB');
    maxFileSize = n * 1024 * 1024;
  }
  const only = values.checks?.split(',').map((s) => s.trim()).filter((s) => s !== '');
  const live = cluster ? await readCluster(values, io) : undefined;
  const vulns = values.vulns !== undefined && values.vulns.length > 0 ? await (await import('../../sources/vulns.js')).loadVulnerabilityReports(values.vulns) : undefined;
  const report = await audit({
    paths: positionals,
    ...(live ? { objects: live.objects, notEvaluated: live.notEvaluated, inputs: [`cluster:${live.context}`] } : {}),
    ...(vulns ? { objects: [...(live?.objects ?? []), ...vulns.objects], extraProblems: vulns.problems, inputs: [...(live ? [`cluster:${live.context}`] : []), ...(values.vulns ?? [])] } : {}),
    config,
    ...(baseline ? { baseline } : {}),
    ...(only ? { only } : {}),
    settings: { pss: { level, version }, now: io.now(), ...(k8s !== undefined ? { k8sVersion: k8s } : {}) },
    readStdin: io.readStdin,
    cwd: io.cwd,
    ...(maxFileSize !== undefined ? { maxFileSize } : {}),
    toolVersion: await packageVersion(),
  });
  return { report, config };
}

/** Read the cluster for `--cluster`, with a progress bar on a terminal's stderr. */
async function readCluster(values: ScanValues, io: Io) {
  const { loadCluster, ClusterError } = await import('../../sources/cluster.js');
  const bar = io.stderrIsTTY;
  try {
    const live = await loadCluster({
      ...(values.kubeconfig !== undefined ? { kubeconfig: values.kubeconfig } : {}),
      ...(values.context !== undefined ? { context: values.context } : {}),
      ...(values.namespace !== undefined ? { namespaces: values.namespace } : {}),
      keepDefaults: values['keep-defaults'] ?? false,
      ...(bar ? { onProgress: (p: { resourcesDone: number; resourcesTotal: number; objects: number }) => { io.stderr(`\r${progressBar(p.resourcesDone, p.resourcesTotal)} ${p.resourcesDone}/${p.resourcesTotal} resources, ${p.objects} objects`); } } : {}),
    });
    if (bar) io.stderr('\n');
    return live;
  } catch (e) {
    if (bar) io.stderr('\n');
    if (e instanceof ClusterError) throw new UsageError('cluster', e.message);
    throw e;
  }
}

function progressBar(done: number, total: number, width = 24): string {
  const n = total === 0 ? width : Math.round((done / total) * width);
  return `[${'#'.repeat(n)}${'.'.repeat(width - n)}]`;
}

export function run(argv: string[], io: Io): Promise<number> {
  return guard(io, async () => {
    const { values, positionals } = parse(argv, SCAN_OPTIONS);
    if (values.help) {
      io.stdout(SCAN_HELP);
      return 0;
    }
    const format = checkFormat(values.format);
    const { report, config } = await scanFromArgs(values, positionals, io);
    return emitReport(
      report,
      {
        format,
        ...(values.output !== undefined ? { output: values.output } : {}),
        failOn: severityArg(values['fail-on'], '--fail-on', config.failOn ?? 'high'),
        allowInvalid: values['allow-invalid'] ?? false,
        showSuppressed: values['show-suppressed'] ?? false,
        failOnNotEvaluated: values['fail-on-not-evaluated'] ?? false,
      },
      io,
    );
  });
}
