/** `kspect probe HOST[:PORT]...`: which component ports answer, and what they serve without credentials. */
import { resolve } from 'node:path';
import { checkExposure } from '../../api/probe.js';
import type { Problem } from '../../core/finding.js';
import { UsageError } from '../../core/result.js';
import { DEFAULT_PORTS } from '../../engines/probe/catalog.js';
import type { K8sObject } from '../../model/object.js';
import { renderProbeTable } from '../../reporters/probe-table.js';
import { errnoText } from '../../sources/files.js';
import { MAX_HOSTS_LIMIT, parsePorts } from '../../sources/probe/targets.js';
import { guard, parse } from '../args.js';
import { packageVersion, type Io } from '../io.js';
import { CLUSTER_OPTIONS, FILE_OPTIONS, HELP_OPTION, INPUT_OPTIONS, K8S_VERSION_OPTIONS, REPORT_OPTIONS, REQUEST_TIMEOUT_OPTIONS, TIMEOUT_OPTIONS, requestTimeoutArg, requestTimeoutHelp, checkReportFlags, checksArg, clusterArgs, inputOptions, k8sVersionArg, loadRunFiles, optionHelp, outputFlags } from '../options.js';
import { emitReport } from '../report-output.js';
import { readRegularFile } from '../../sources/safe-read.js';

export const PROBE_HELP = `Usage: kspect probe HOST[:PORT]... [options]
       kspect probe --cluster [--context C] [options]

Tell from the network what an attacker would find: which Kubernetes component ports answer, over TLS or not,
and what they serve without credentials — the Docker Engine API (2375/2376), the kubelet (10250) and its
read-only port (10255), the API server (6443, 443) and a plain-HTTP API (kubectl proxy 8001, the old insecure
port 8080), etcd (2379, metrics 2381), controller-manager (10257), scheduler (10259), kube-proxy (10249, 10256)
and the Dashboard (443, 8443, 9090). Every TLS endpoint met is judged like \`kspect pki check HOST:PORT\`.

Read-only: TLS handshakes and GET requests of fixed paths, no credentials sent; never exec, attach, run,
port-forward, POST or any write. Lists are asked for as metadata only.

Targets:
  HOST, HOST:PORT, [IPv6]:PORT   a name or address; without a port, the default ports below
  CIDR (e.g. 10.0.0.0/28)        only with --allow-range, at most --max-hosts addresses

Options:
      --ports LIST          ports for targets without one, e.g. 10250,10255,2375-2376
                            (default: ${DEFAULT_PORTS.map((p) => p.port).join(',')})
      --allow-range         accept CIDR ranges
      --max-hosts N         most addresses one range may hold (default 256, at most ${MAX_HOSTS_LIMIT})
${requestTimeoutHelp('connection or request', '3s')}      --concurrency N       endpoints probed at once (default 64)
      --no-ciphers          do not enumerate the cipher suites of TLS endpoints
      --ca BUNDLE           verify the served chains against these CA certificates (else they are not verified)
  -i, --file PATH           RBAC manifests (file, folder, glob or -; repeatable): name the bindings that grant
                            anonymous access, as kspect rbac who-can does (--cluster reads them from the cluster)
${optionHelp(Object.keys(INPUT_OPTIONS))}${optionHelp(Object.keys(CLUSTER_OPTIONS))}${optionHelp(['k8s-version'])}${optionHelp(Object.keys(REPORT_OPTIONS))}
Exit codes: 0 nothing at or above --fail-on; 1 findings at or above it; 2 usage error or a target not probed.
`;

const OPTIONS = {
  ports: { type: 'string' },
  'allow-range': { type: 'boolean' },
  'max-hosts': { type: 'string' },
  ...REQUEST_TIMEOUT_OPTIONS,
  ...TIMEOUT_OPTIONS,
  concurrency: { type: 'string' },
  'no-ciphers': { type: 'boolean' },
  ca: { type: 'string' },
  ...FILE_OPTIONS,
  ...INPUT_OPTIONS,
  ...CLUSTER_OPTIONS,
  ...K8S_VERSION_OPTIONS,
  ...REPORT_OPTIONS,
  ...HELP_OPTION,
} as const;

function positiveNumber(v: string | undefined, flag: string, max: number): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0 || n > max) throw new UsageError('usage', `${flag} must be a number above 0 and at most ${max}`);
  return n;
}

function positiveInt(v: string | undefined, flag: string, max: number): number | undefined {
  const n = positiveNumber(v, flag, max);
  if (n !== undefined && !Number.isInteger(n)) throw new UsageError('usage', `${flag} must be a whole number`);
  return n;
}

/** RBAC manifests for the cross-reference; unreadable files are problems, the rest is used. */
async function loadRbac(paths: readonly string[], io: Io, options: ReturnType<typeof inputOptions>): Promise<{ objects: K8sObject[]; problems: Problem[] }> {
  if (paths.length === 0) return { objects: [], problems: [] };
  const { loadManifests } = await import('../../sources/files.js');
  const loaded = await loadManifests(paths, { cwd: io.cwd, readStdin: io.readStdin, ...options });
  return { objects: loaded.objects, problems: loaded.problems };
}

export function run(argv: string[], io: Io): Promise<number> {
  return guard(io, async () => {
    const { values, positionals } = parse(argv, OPTIONS);
    if (values.help) {
      io.stdout(PROBE_HELP);
      return 0;
    }
    await checkReportFlags(values);
    const cluster = clusterArgs(values, positionals, { mix: true, network: true });
    if (positionals.length === 0 && !cluster) throw new UsageError('usage', 'probe needs at least one HOST[:PORT] (or --cluster)');
    let ports: number[] | undefined;
    if (values.ports !== undefined) {
      const p = parsePorts(values.ports);
      if (p.error !== undefined) throw new UsageError('usage', `--ports: ${p.error}`);
      ports = p.ports;
    }
    const timeoutMs = requestTimeoutArg(values, 3000);
    const concurrency = positiveInt(values.concurrency, '--concurrency', 1024);
    const maxHosts = positiveInt(values['max-hosts'], '--max-hosts', MAX_HOSTS_LIMIT);
    const k8sVersion = k8sVersionArg(values['k8s-version']);
    const only = await checksArg(values.checks);
    const { config, baseline } = await loadRunFiles(values, io);
    const rbac = await loadRbac(values.file ?? [], io, inputOptions(values));
    let ca: Uint8Array | undefined;
    if (values.ca !== undefined) {
      try {
        ca = new Uint8Array(await readRegularFile(resolve(io.cwd, values.ca), { max: 16 * 1024 * 1024 }));
      } catch (e) {
        throw new UsageError('input', `--ca ${values.ca}: cannot read: ${errnoText(e)}`);
      }
    }
    const progress = io.stderrIsTTY ? (done: number, total: number) => { io.stderr(`\rkspect: probed ${done}/${total} endpoints`); } : undefined;
    const report = await checkExposure({
      targets: positionals,
      ...(ports ? { ports } : {}),
      allowRange: values['allow-range'] ?? false,
      ...(maxHosts !== undefined ? { maxHosts } : {}),
      timeoutMs,
      ...(concurrency !== undefined ? { concurrency } : {}),
      ciphers: !(values['no-ciphers'] ?? false),
      ...(cluster ? { cluster: { ...(values.kubeconfig !== undefined ? { kubeconfig: values.kubeconfig } : {}), ...(values.context !== undefined ? { context: values.context } : {}) } } : {}),
      rbac: rbac.objects,
      ...(ca ? { ca, caName: values.ca ?? '--ca' } : {}),
      extraProblems: rbac.problems,
      config,
      ...(baseline ? { baseline } : {}),
      ...(only ? { only } : {}),
      settings: { now: io.now(), ...(k8sVersion !== undefined ? { k8sVersion } : {}) },
      toolVersion: await packageVersion(),
      ...(progress ? { onProgress: progress } : {}),
    });
    if (progress) io.stderr('\n');
    return emitReport(report, outputFlags(values, config, 'high'), io, (color) => renderProbeTable(report, { color }));
  });
}
