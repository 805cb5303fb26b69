/** pod-unsafe-sysctls: pod sysctls outside the set Kubernetes considers safe. */
import type { Severity } from '../../core/severity.js';
import { getArray, getObject, getString } from '../../model/object.js';
import { isWindowsPod, normalizeSysctlName } from '../../model/linux-security.js';
import { POD_SPEC_KINDS } from '../../model/podspec.js';
import { joinPath } from '../../model/path.js';
import { defineCheck } from '../../framework/define.js';
import { podSpecOrNotEvaluated } from '../../framework/field-findings.js';

/**
 * The safe sysctls, by the Kubernetes minor version whose Pod Security Standards first allow them
 * (the kubelet's default allow-list grew in step).
 */
export const SAFE_SYSCTLS_SINCE: readonly { readonly minor: number; readonly names: readonly string[] }[] = [
  { minor: 0, names: ['kernel.shm_rmid_forced', 'net.ipv4.ip_local_port_range', 'net.ipv4.tcp_syncookies', 'net.ipv4.ping_group_range', 'net.ipv4.ip_unprivileged_port_start'] },
  { minor: 27, names: ['net.ipv4.ip_local_reserved_ports'] },
  { minor: 29, names: ['net.ipv4.tcp_keepalive_time', 'net.ipv4.tcp_fin_timeout', 'net.ipv4.tcp_keepalive_intvl', 'net.ipv4.tcp_keepalive_probes'] },
  { minor: 32, names: ['net.ipv4.tcp_rmem', 'net.ipv4.tcp_wmem'] },
  { minor: 37, names: ['net.ipv4.tcp_slow_start_after_idle', 'net.ipv4.tcp_notsent_lowat'] },
];

/** The safe set for a target version (`1.N`), or the newest when none is given. */
export function safeSysctls(k8sVersion: string | undefined): ReadonlySet<string> {
  const m = /^1\.(\d+)$/.exec(k8sVersion ?? '');
  const minor = m?.[1] !== undefined ? Number(m[1]) : Number.POSITIVE_INFINITY;
  return new Set(SAFE_SYSCTLS_SINCE.filter((s) => s.minor <= minor).flatMap((s) => s.names));
}

/**
 * Sysctls that live in a namespace of the pod (IPC or network), so a node may allow them with
 * `--allowed-unsafe-sysctls`. Any other sysctl is node-wide, and the kubelet never allows it.
 */
export function isNamespacedSysctl(name: string): boolean {
  return name === 'kernel.sem' || name.startsWith('kernel.shm') || name.startsWith('kernel.msg') || name.startsWith('fs.mqueue.') || name.startsWith('net.');
}

export const podUnsafeSysctls = defineCheck({
  id: 'pod-unsafe-sysctls',
  meta: {
    title: 'Unsafe sysctl',
    description:
      'Pods may set kernel parameters through `securityContext.sysctls`. Only a small set is safe: namespaced, and isolated from other pods on the node. Others can disable security mechanisms (e.g. `net.ipv4.conf.all.rp_filter`), exhaust shared kernel resources or, on a node that allows them, affect every pod; node-wide sysctls are refused by the kubelet and keep the pod from starting. The baseline Pod Security Standard allows only the safe set.',
    severity: 'medium',
    category: 'workload',
    kinds: POD_SPEC_KINDS,
    messages: {
      unsafe: 'sysctl {{name}} is not in the safe set: it runs only on nodes that allow it with --allowed-unsafe-sysctls, and can weaken or starve the node',
      nodeWide: 'sysctl {{name}} is not namespaced: it would change the whole node, and the kubelet refuses the pod',
    },
    remediation:
      'Remove the sysctl, or keep to the safe set (kernel.shm_rmid_forced, net.ipv4.ip_local_port_range, net.ipv4.ip_unprivileged_port_start, net.ipv4.tcp_* timeouts and buffers, …). A workload that truly needs another namespaced sysctl should run on dedicated, tainted nodes that allow it.',
    references: {
      pss: ['sysctls'],
      cis: ['5.6.3'],
      nsa: ['Pod security: hardening container environments'],
      mitre: ['T1611', 'T1562'],
      urls: ['https://kubernetes.io/docs/tasks/administer-cluster/sysctl-cluster/'],
    },
    recommended: true,
  },
  create(ctx) {
    const safe = safeSysctls(ctx.settings.k8sVersion);
    return (obj) => {
      const view = podSpecOrNotEvaluated(ctx, obj);
      if (!view || isWindowsPod(view)) return;
      getArray(getObject(view.spec, 'securityContext'), 'sysctls').forEach((s, i) => {
        const raw = getString(s, 'name');
        if (raw === undefined) return;
        const name = normalizeSysctlName(raw);
        if (safe.has(name)) return;
        const namespaced = isNamespacedSysctl(name);
        const severity: Severity = namespaced ? 'medium' : 'low';
        ctx.report({ messageId: namespaced ? 'unsafe' : 'nodeWide', object: obj, path: joinPath(view.path, 'securityContext', 'sysctls', i, 'name'), severity, data: { name: raw } });
      });
    };
  },
});

