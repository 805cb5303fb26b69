/**
 * `checkExposure()`: what an attacker on the network would find — which component ports answer, over TLS or not,
 * and what they serve without credentials — judged by the one runner into the one Report. Read-only: TLS
 * handshakes and GETs of fixed paths only; never exec, attach, run, port-forward, POST or any write.
 */
import { EMPTY_CONFIG, type KspectConfig } from '../core/config.js';
import type { NotEvaluated, Problem } from '../core/finding.js';
import type { Report } from '../core/report.js';
import { UsageError } from '../core/result.js';
import { etcdClientCertAuthDisabled } from '../checks/etcd-client-cert-auth-disabled/check.js';
import { etcdClientPlaintext } from '../checks/etcd-client-plaintext/check.js';
import { etcdMetricsUnauthenticated } from '../checks/etcd-metrics-unauthenticated/check.js';
import { pkiChecks } from '../checks/registry/pki.js';
import { probeChecks } from '../checks/registry/probe.js';
import type { AnyCheck } from '../framework/define.js';
import { etcdEndpointObject } from '../engines/encryption-at-rest/objects.js';
import { clusterTargets } from '../engines/probe/cluster.js';
import { etcdEndpointsOf } from '../engines/probe/etcd.js';
import { probedEndpointObject, probedRef, probedSource, serviceName } from '../engines/probe/objects.js';
import { probeSummary } from '../engines/probe/summary.js';
import { decodeBlob } from '../engines/x509/material.js';
import type { K8sObject } from '../model/object.js';
import { probeTargets, type ProbeRunOptions } from '../sources/probe/run.js';
import { parseTargets, type Target } from '../sources/probe/targets.js';
import { domainChecks, judge, type JudgeCommonOptions } from './run.js';
import { appendAll } from '../core/arrays.js';

/** The checks a probe runs: the exposure checks, the etcd endpoint checks and the TLS/certificate checks. */
export const PROBE_RUN_CHECKS: readonly AnyCheck[] = [...probeChecks, etcdClientCertAuthDisabled, etcdClientPlaintext, etcdMetricsUnauthenticated, ...pkiChecks].sort((a, b) => (a.id < b.id ? -1 : 1));

const RBAC_KINDS: ReadonlySet<string> = new Set(['Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding']);

export interface CheckExposureOptions extends JudgeCommonOptions, Pick<ProbeRunOptions, 'ports' | 'timeoutMs' | 'concurrency' | 'ciphers' | 'maxHeaderBytes' | 'maxBodyBytes'> {
  /** `HOST`, `HOST:PORT`, `[IPv6]:PORT`, or CIDR ranges (with `allowRange`). */
  readonly targets?: readonly string[];
  readonly allowRange?: boolean;
  /** Most addresses one CIDR may expand to (default 256, at most 4096). */
  readonly maxHosts?: number;
  /** Take hosts from a live cluster (node addresses, the API server endpoints), read-only. */
  readonly cluster?: { readonly kubeconfig?: string; readonly context?: string };
  /** RBAC objects to cross-reference anonymous access with (as `kspect rbac who-can`). */
  readonly rbac?: readonly K8sObject[];
  /** CA certificates (PEM or DER bundle) to verify the served chains against; without it chains are not verified. */
  readonly ca?: Uint8Array;
  /** Name of the CA bundle, for problems (default `--ca`). */
  readonly caName?: string;
  /** The clock (default: now); same as settings.now. */
  readonly now?: Date;
  /** Problems found by the caller while loading inputs (e.g. RBAC files). */
  readonly extraProblems?: readonly Problem[];
  readonly onProgress?: (done: number, total: number) => void;
}

/**
 * A probe runs its own checks and etcd's endpoint checks (none of them recommended for manifest scans, since they
 * judge what only a probe sees) and the recommended TLS/certificate checks; configuration can add or remove any.
 */
function withProbeDefaults(config: KspectConfig): KspectConfig {
  const own = [...probeChecks.map((c) => c.id), etcdClientCertAuthDisabled.id, etcdClientPlaintext.id, etcdMetricsUnauthenticated.id];
  return { ...config, enable: [...config.enable, ...own.filter((id) => !config.disable.includes(id))] };
}

/** Probe the targets (and/or the cluster's hosts) and judge what answered. Throws UsageError only for unusable options. */
export async function checkExposure(options: CheckExposureOptions): Promise<Report> {
  const config = withProbeDefaults(options.config ?? EMPTY_CONFIG);
  // Configuration errors before any packet is sent.
  const active = domainChecks(PROBE_RUN_CHECKS, config, options.only);
  const problems: Problem[] = [...(options.extraProblems ?? [])];
  const notEvaluated: NotEvaluated[] = [];
  const parsed = parseTargets(options.targets ?? [], { ...(options.allowRange !== undefined ? { allowRange: options.allowRange } : {}), ...(options.maxHosts !== undefined ? { maxHosts: options.maxHosts } : {}) });
  for (const e of parsed.errors) problems.push({ code: 'probe-target', severity: 'error', message: e });
  const targets: Target[] = [...parsed.targets];
  const extra: K8sObject[] = [...(options.rbac ?? []).filter((o) => RBAC_KINDS.has(o.kind))];
  const inputs = [...(options.targets ?? [])];
  if (options.cluster) {
    const { loadCluster, ClusterError } = await import('../sources/cluster.js');
    try {
      const live = await loadCluster({ ...options.cluster, ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}), kinds: new Set(['Node', 'EndpointSlice', ...RBAC_KINDS]) });
      appendAll(notEvaluated, live.notEvaluated);
      appendAll(problems, live.problems);
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
  // A name the user gave that does not resolve is an input error; a node's host name from the cluster is a warning.
  const given = new Set(options.targets ?? []);
  for (const p of run.problems) problems.push({ code: 'probe-target', severity: given.has(p.target) ? 'error' : 'warning', file: p.target, message: p.message });
  // Chains are verified against --ca; without it they are not, and the report says so.
  let anchors: string[] = [];
  if (options.ca) {
    const d = decodeBlob(options.ca);
    const file = options.caName ?? '--ca';
    for (const p of d.problems) problems.push({ code: 'pki-input', severity: 'error', file, ...(p.line !== undefined ? { line: p.line } : {}), message: p.message });
    anchors = d.certs.map((c) => Buffer.from(c.der).toString('base64'));
    if (anchors.length === 0) problems.push({ code: 'pki-input', severity: 'error', file, message: '--ca holds no certificate' });
  }
  const views = run.views.map((v) => (v.tls && v.tls.chain.length > 0 && anchors.length > 0 ? { ...v, tls: { ...v.tls, anchors } } : v));
  const served = views.filter((v) => v.tls && v.tls.chain.length > 0).length;
  if (anchors.length === 0 && served > 0 && active.some((a) => a.check.id === 'cert-chain-unverified')) notEvaluated.push({ checkId: 'cert-chain-unverified', reason: 'missing-input', message: `no --ca bundle: the chains served by ${served} TLS endpoint${served === 1 ? '' : 's'} were not verified` });
  const objects: K8sObject[] = views.map(probedEndpointObject);
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
  return judge({
    objects: [...objects, ...extra],
    checks: PROBE_RUN_CHECKS,
    config,
    ...(options.baseline ? { baseline: options.baseline } : {}),
    ...(options.only ? { only: options.only } : {}),
    settings: { ...options.settings, ...(options.now ? { now: options.now } : {}) },
    problems,
    notEvaluated,
    inputs,
    toolVersion: options.toolVersion ?? '0.0.0',
    sections: () => ({ probe: probeSummary(run.views) }),
  });
}
