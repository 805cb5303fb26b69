/** `kspect probe HOST[:PORT]...`: which component ports answer, and what they serve without credentials. */
import { allChecks } from '../../checks/index.js';
import type { Problem } from '../../core/finding.js';
import { UsageError } from '../../core/result.js';
import type { K8sObject } from '../../model/object.js';
import { probeExposure } from '../../probe-audit.js';
import { REPORTERS } from '../../reporters/index.js';
import { renderProbeTable } from '../../reporters/probe-table.js';
import { DEFAULT_PORTS } from '../../engines/probe/catalog.js';
import { loadBaseline, loadConfig } from '../../sources/config.js';
import { errnoText } from '../../sources/files.js';
import { MAX_HOSTS_LIMIT, parsePorts } from '../../sources/probe/targets.js';
import { guard, parse, severityArg } from '../args.js';
import { packageVersion, useColor, type Io } from '../io.js';
import { checkFormat, exitCodeOf, printProblems } from '../report-output.js';

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
      --timeout SECONDS     per connection and request (default 3)
      --concurrency N       endpoints probed at once (default 64)
      --no-ciphers          do not enumerate the cipher suites of TLS endpoints
      --rbac PATH           RBAC manifests (repeatable): name the bindings behind anonymous access
      --cluster             probe the nodes and API server endpoints of the current kubeconfig context (read-only)
      --context C           kubeconfig context to use
      --kubeconfig FILE     kubeconfig file (default: $KUBECONFIG, then ~/.kube/config)
  -f, --format FORMAT       table (default), json, sarif, junit, markdown
  -o, --output FILE         write the report to FILE instead of stdout
      --fail-on SEV         exit 1 when a finding is at or above SEV (default high): critical, high, medium, low, info
      --config FILE         configuration (default: ./.kspect.yaml when present)
      --baseline FILE       suppress the findings accepted in FILE (see kspect baseline)
      --show-suppressed     list suppressed findings too
      --checks IDS          run only these checks (comma-separated)
      --k8s-version V       Kubernetes version of the cluster, e.g. 1.34 (for the RBAC cross-reference)
      --fail-on-not-evaluated  exit 1 when an endpoint could not be judged
      --allow-invalid       do not exit 2 because a target could not be probed

Exit codes: 0 nothing at or above --fail-on; 1 findings at or above it; 2 usage error or a target not probed.
`;

const OPTIONS = {
  ports: { type: 'string' },
  'allow-range': { type: 'boolean' },
  'max-hosts': { type: 'string' },
  timeout: { type: 'string' },
  concurrency: { type: 'string' },
  'no-ciphers': { type: 'boolean' },
  rbac: { type: 'string', multiple: true },
  cluster: { type: 'boolean' },
  context: { type: 'string' },
  kubeconfig: { type: 'string' },
  format: { type: 'string', short: 'f' },
  output: { type: 'string', short: 'o' },
  'fail-on': { type: 'string' },
  config: { type: 'string' },
  baseline: { type: 'string' },
  'show-suppressed': { type: 'boolean' },
  checks: { type: 'string' },
  'k8s-version': { type: 'string' },
  'fail-on-not-evaluated': { type: 'boolean' },
  'allow-invalid': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
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
async function loadRbac(paths: readonly string[], io: Io): Promise<{ objects: K8sObject[]; problems: Problem[] }> {
  if (paths.length === 0) return { objects: [], problems: [] };
  const { loadManifests } = await import('../../sources/files.js');
  const loaded = await loadManifests(paths, { cwd: io.cwd, readStdin: io.readStdin });
  return { objects: loaded.objects, problems: loaded.problems };
}

export function run(argv: string[], io: Io): Promise<number> {
  return guard(io, async () => {
    const { values, positionals } = parse(argv, OPTIONS);
    if (values.help) {
      io.stdout(PROBE_HELP);
      return 0;
    }
    const format = checkFormat(values.format);
    const cluster = values.cluster ?? false;
    if (!cluster) for (const flag of ['context', 'kubeconfig'] as const) if (values[flag] !== undefined) throw new UsageError('usage', `--${flag} needs --cluster`);
    if (positionals.length === 0 && !cluster) throw new UsageError('usage', 'probe needs at least one HOST[:PORT] (or --cluster)');
    let ports: number[] | undefined;
    if (values.ports !== undefined) {
      const p = parsePorts(values.ports);
      if (p.error !== undefined) throw new UsageError('usage', `--ports: ${p.error}`);
      ports = p.ports;
    }
    const timeout = positiveNumber(values.timeout, '--timeout', 300);
    const concurrency = positiveInt(values.concurrency, '--concurrency', 1024);
    const maxHosts = positiveInt(values['max-hosts'], '--max-hosts', MAX_HOSTS_LIMIT);
    const k8s = values['k8s-version']?.replace(/^v/, '');
    if (k8s !== undefined && !/^1\.\d{1,3}$/.test(k8s)) throw new UsageError('usage', '--k8s-version must look like 1.34');
    const known = new Set(allChecks.map((c) => c.id));
    const { config } = await loadConfig(values.config, io.cwd, known);
    const baseline = values.baseline !== undefined ? await loadBaseline(values.baseline) : undefined;
    const only = values.checks?.split(',').map((s) => s.trim()).filter((s) => s !== '');
    const rbac = await loadRbac(values.rbac ?? [], io);
    const progress = io.stderrIsTTY ? (done: number, total: number) => { io.stderr(`\rkspect: probed ${done}/${total} endpoints`); } : undefined;
    const report = await probeExposure({
      targets: positionals,
      ...(ports ? { ports } : {}),
      allowRange: values['allow-range'] ?? false,
      ...(maxHosts !== undefined ? { maxHosts } : {}),
      ...(timeout !== undefined ? { timeoutMs: Math.round(timeout * 1000) } : {}),
      ...(concurrency !== undefined ? { concurrency } : {}),
      ciphers: !(values['no-ciphers'] ?? false),
      ...(cluster ? { cluster: { ...(values.kubeconfig !== undefined ? { kubeconfig: values.kubeconfig } : {}), ...(values.context !== undefined ? { context: values.context } : {}) } } : {}),
      rbac: rbac.objects,
      extraProblems: rbac.problems,
      config,
      ...(baseline ? { baseline } : {}),
      ...(only ? { only } : {}),
      now: io.now(),
      ...(k8s !== undefined ? { k8sVersion: k8s } : {}),
      toolVersion: await packageVersion(),
      ...(progress ? { onProgress: progress } : {}),
    });
    if (progress) io.stderr('\n');
    const color = values.output === undefined && format === 'table' && useColor(io, true);
    const reporter = REPORTERS[format];
    if (!reporter) throw new UsageError('usage', `unknown format ${format}`);
    const showSuppressed = values['show-suppressed'] ?? false;
    const text = (format === 'table' ? renderProbeTable(report, { color }) : '') + reporter(report, { color, showSuppressed });
    printProblems(report, io);
    if (values.output !== undefined) {
      try {
        await io.writeFile(values.output, text);
      } catch (e) {
        io.stderr(`kspect: cannot write ${values.output}: ${errnoText(e)}\n`);
        return 2;
      }
    } else io.stdout(text);
    return exitCodeOf(report, {
      format,
      failOn: severityArg(values['fail-on'], '--fail-on', config.failOn ?? 'high'),
      allowInvalid: values['allow-invalid'] ?? false,
      showSuppressed,
      failOnNotEvaluated: values['fail-on-not-evaluated'] ?? false,
    });
  });
}
