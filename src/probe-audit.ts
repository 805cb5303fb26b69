/**
 * `probeExposure()`: what an attacker on the network would find — which component ports answer, over TLS or not,
 * and what they serve without credentials — judged by the one runner into the one Report. Read-only: TLS
 * handshakes and GETs of fixed paths only; never exec, attach, run, port-forward, POST or any write.
 */
import { EMPTY_CONFIG, type KspectConfig } from './core/config.js';
import type { Baseline } from './core/baseline.js';
import type { NotEvaluated, Problem } from './core/finding.js';
import type { Report } from './core/report.js';
import { UsageError } from './core/result.js';
import { etcdClientCertAuthDisabled } from './checks/etcd-client-cert-auth-disabled/check.js';
import { etcdClientPlaintext } from './checks/etcd-client-plaintext/check.js';
import { etcdMetricsUnauthenticated } from './checks/etcd-metrics-unauthenticated/check.js';
import { pkiChecks } from './checks/registry/pki.js';
import { probeChecks } from './checks/registry/probe.js';
import type { AnyCheck } from './framework/define.js';
import { resolveChecks, runChecks } from './framework/runner.js';
import { etcdEndpointObject } from './engines/encryption-at-rest/objects.js';
import { clusterTargets } from './engines/probe/cluster.js';
import { etcdEndpointsOf } from './engines/probe/etcd.js';
import { probedEndpointObject, probedRef, probedSource, serviceName } from './engines/probe/objects.js';
import { probeSummary } from './engines/probe/summary.js';
import { buildInventory } from './model/inventory.js';
import type { K8sObject } from './model/object.js';
import { probeTargets, type ProbeRunOptions } from './sources/probe/run.js';
import { parseTargets, type Target } from './sources/probe/targets.js';

/** The checks a probe runs: the exposure checks, the etcd endpoint checks and the TLS/certificate checks. */
export const PROBE_RUN_CHECKS: readonly AnyCheck[] = [...probeChecks, etcdClientCertAuthDisabled, etcdClientPlaintext, etcdMetricsUnauthenticated, ...pkiChecks].sort((a, b) => (a.id < b.id ? -1 : 1));

const RBAC_KINDS: ReadonlySet<string> = new Set(['Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding']);

export interface ProbeExposureOptions extends Pick<ProbeRunOptions, 'ports' | 'timeoutMs' | 'concurrency' | 'ciphers' | 'maxHeaderBytes' | 'maxBodyBytes'> {
  /** `HOST`, `HOST:PORT`, `[IPv6]:PORT`, or CIDR ranges (with `allowRange`). */
  readonly targets?: readonly string[];
  readonly allowRange?: boolean;
  /** Most addresses one CIDR may expand to (default 256, at most 4096). */
  readonly maxHosts?: number;
  /** Take hosts from a live cluster (node addresses, the API server endpoints), read-only. */
  readonly cluster?: { readonly kubeconfig?: string; readonly context?: string };
  /** RBAC objects to cross-reference anonymous access with (as `kspect rbac who-can`). */
  readonly rbac?: readonly K8sObject[];
  readonly config?: KspectConfig;
  readonly baseline?: Baseline;
  /** Restrict to these check ids. */
  readonly only?: readonly string[];
  readonly now?: Date;
  readonly k8sVersion?: string;
  readonly toolVersion?: string;
  /** Problems found by the caller while loading inputs (e.g. RBAC files). */
  readonly extraProblems?: readonly Problem[];
  readonly onProgress?: (done: number, total: number) => void;
}

/** The ids a probe runs by default: its own checks and etcd's, plus the recommended TLS/certificate checks. */
function defaultIds(config: KspectConfig): string[] {
  const enabled = new Set(config.enable);
  const own = new Set([...probeChecks.map((c) => c.id), etcdClientCertAuthDisabled.id, etcdClientPlaintext.id, etcdMetricsUnauthenticated.id]);
  return PROBE_RUN_CHECKS.filter((c) => (own.has(c.id) || c.meta.recommended || enabled.has(c.id) || enabled.has('*')) && !config.disable.includes(c.id)).map((c) => c.id);
}

/** Probe the targets (and/or the cluster's hosts) and judge what answered. Throws UsageError only for unusable options. */
export async function probeExposure(options: ProbeExposureOptions): Promise<Report> {
  const config = options.config ?? EMPTY_CONFIG;
  const { active, errors } = resolveChecks(PROBE_RUN_CHECKS, config, options.only ?? defaultIds(config));
  if (errors.length > 0) throw new UsageError('config', errors.join('; '));
  const problems: Problem[] = [...(options.extraProblems ?? [])];
  const notEvaluated: NotEvaluated[] = [];
  const parsed = parseTargets(options.targets ?? [], { ...(options.allowRange !== undefined ? { allowRange: options.allowRange } : {}), ...(options.maxHosts !== undefined ? { maxHosts: options.maxHosts } : {}) });
  for (const e of parsed.errors) problems.push({ code: 'probe-target', severity: 'error', message: e });
  const targets: Target[] = [...parsed.targets];
  const extra: K8sObject[] = [...(options.rbac ?? []).filter((o) => RBAC_KINDS.has(o.kind))];
  const inputs = [...(options.targets ?? [])];
  if (options.cluster) {
    const { loadCluster, ClusterError } = await import('./sources/cluster.js');
    try {
      const live = await loadCluster({ ...options.cluster, kinds: new Set(['Node', 'EndpointSlice', ...RBAC_KINDS]) });
      notEvaluated.push(...live.notEvaluated);
      problems.push(...live.problems);
      extra.push(...live.objects.filter((o) => RBAC_KINDS.has(o.kind)));
      const server = new URL(live.server);
      const serverPort = server.port !== '' ? Number(server.port) : server.protocol === 'https:' ? 443 : 80;
      targets.push({ host: server.hostname.replace(/^\[|\]$/g, ''), port: serverPort, label: `kubeconfig ${live.context}` });
      for (const t of clusterTargets(live.objects)) targets.push({ host: t.host, ...(t.port !== undefined ? { port: t.port } : {}), label: t.label });
      inputs.push(`cluster:${live.context}`);
    } catch (e) {
      if (e instanceof ClusterError) throw new UsageError('cluster', e.message);
      throw e;
    }
  }
  if (targets.length === 0) {
    if (parsed.errors.length > 0) throw new UsageError('usage', parsed.errors.join('; '));
    throw new UsageError('usage', 'probe needs at least one HOST[:PORT], or --cluster');
  }
  const run = await probeTargets(targets, {
    ...(options.ports ? { ports: options.ports } : {}),
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
    ...(options.concurrency !== undefined ? { concurrency: options.concurrency } : {}),
    ...(options.ciphers !== undefined ? { ciphers: options.ciphers } : {}),
    ...(options.maxHeaderBytes !== undefined ? { maxHeaderBytes: options.maxHeaderBytes } : {}),
    ...(options.maxBodyBytes !== undefined ? { maxBodyBytes: options.maxBodyBytes } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
  for (const p of run.problems) problems.push({ code: 'probe-target', severity: 'error', file: p.target, message: p.message });
  const objects: K8sObject[] = run.views.map(probedEndpointObject);
  for (const e of etcdEndpointsOf(run.views)) objects.push(etcdEndpointObject(e));
  // An open port that answered but was not recognised is not judged: say so rather than pass it.
  const explicit = new Set(targets.filter((t) => t.port !== undefined).map((t) => `${t.host}\u0000${t.port ?? ''}`));
  for (const v of run.views) {
    if (v.state !== 'open' || v.service !== undefined) continue;
    const why = v.stateDetail ?? (v.clientCertRequired === true ? 'TLS requires a client certificate, and the port is not one kspect knows' : 'it answered, but not as any service kspect recognises');
    notEvaluated.push({ reason: 'unsupported', message: `${v.endpoint} (${serviceName(v)}) was not judged: ${why}`, resource: probedRef(v), source: probedSource(v) });
  }
  for (const v of run.views) {
    if (explicit.has(`${v.host}\u0000${v.port}`) && (v.state === 'filtered' || v.state === 'unreachable')) notEvaluated.push({ reason: 'not-readable', message: `${v.endpoint} could not be reached: ${v.stateDetail ?? v.state}`, resource: probedRef(v), source: probedSource(v) });
  }
  const report = runChecks({
    inventory: buildInventory([...objects, ...extra]),
    checks: active,
    settings: { pss: { level: 'restricted', version: 'latest' }, now: options.now ?? new Date(), ...(options.k8sVersion !== undefined ? { k8sVersion: options.k8sVersion } : {}) },
    config,
    ...(options.baseline ? { baseline: options.baseline } : {}),
    problems,
    notEvaluated,
    inputs,
    toolVersion: options.toolVersion ?? '0.0.0',
  });
  return { ...report, probe: probeSummary(run.views) };
}
