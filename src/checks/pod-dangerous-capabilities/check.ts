/** pod-dangerous-capabilities: Linux capabilities added to containers, graded by what they let a process do to the node. */
import type { Severity } from '../../core/severity.js';
import { getBool, getObject } from '../../model/object.js';
import { capabilityEntries, hostPathVolumes, isAllCapabilities, isWindowsPod, mountAccess } from '../../model/linux-security.js';
import { containersOf, POD_SPEC_KINDS, type ContainerView, type PodSpecView } from '../../model/podspec.js';
import { defineCheck } from '../../framework/define.js';
import { podSpecOrNotEvaluated } from '../../framework/field-findings.js';

interface CapabilityRisk {
  readonly severity: Severity;
  readonly why: string;
  /** In the runtimes' default set: only reported when the container dropped ALL, so adding it grants something. */
  readonly defaultSet?: boolean;
}

/**
 * What each capability lets a process do, and how bad that is for the node. Capabilities of the
 * runtime default set that grant nothing dangerous (AUDIT_WRITE, CHOWN, FOWNER, FSETID, KILL,
 * NET_BIND_SERVICE, SETFCAP, SETPCAP, SYS_CHROOT) are not listed and never reported.
 */
export const CAPABILITY_RISKS: Readonly<Record<string, CapabilityRisk>> = {
  ALL: { severity: 'critical', why: 'every capability, SYS_ADMIN and SYS_MODULE included' },
  SYS_MODULE: { severity: 'critical', why: 'it can load kernel modules, which runs its code in the host kernel' },
  SYS_ADMIN: { severity: 'high', why: 'it can mount filesystems and reach cgroup, namespace and many kernel interfaces: the usual first step of a container escape' },
  SYS_RAWIO: { severity: 'high', why: 'it gets raw I/O port and device memory access' },
  SYS_BOOT: { severity: 'high', why: 'it can reboot the node or load a new kernel with kexec_load' },
  DAC_READ_SEARCH: { severity: 'high', why: 'it bypasses read permission checks and can open host files by handle (open_by_handle_at, the "Shocker" escape)' },
  BPF: { severity: 'high', why: 'it can load eBPF programs that read kernel memory and hook the node\'s processes and network' },
  MAC_ADMIN: { severity: 'high', why: 'it can reconfigure the Linux security module (AppArmor, SELinux, Smack)' },
  MAC_OVERRIDE: { severity: 'high', why: 'it can override mandatory access control' },
  SYS_PTRACE: { severity: 'medium', why: 'it can trace, read the memory of and inject code into processes it can see' },
  PERFMON: { severity: 'medium', why: 'it can trace and profile the kernel (and, with BPF, read kernel memory)' },
  NET_ADMIN: { severity: 'medium', why: 'it can reconfigure interfaces, routes and firewall rules of its network namespace' },
  NET_RAW: { severity: 'medium', why: 'it can craft raw packets: ARP and DNS spoofing on the pod network' },
  SYS_TIME: { severity: 'medium', why: 'it can set the system clock, which the whole node shares' },
  SYSLOG: { severity: 'medium', why: 'it can read the kernel log and kernel addresses (defeating KASLR)' },
  AUDIT_CONTROL: { severity: 'medium', why: 'it can change or switch off kernel auditing' },
  CHECKPOINT_RESTORE: { severity: 'medium', why: 'it can checkpoint and restore processes and choose their PIDs' },
  AUDIT_READ: { severity: 'low', why: 'it can read the audit log' },
  IPC_OWNER: { severity: 'low', why: 'it bypasses permission checks on System V IPC objects' },
  IPC_LOCK: { severity: 'low', why: 'it can lock memory' },
  LINUX_IMMUTABLE: { severity: 'low', why: 'it can change immutable and append-only file attributes' },
  LEASE: { severity: 'low', why: 'it can take leases on any file' },
  SYS_RESOURCE: { severity: 'low', why: 'it can override resource limits and reserved disk space' },
  SYS_NICE: { severity: 'low', why: 'it can raise priorities and pin processes to CPUs' },
  SYS_PACCT: { severity: 'low', why: 'it can switch process accounting' },
  SYS_TTY_CONFIG: { severity: 'low', why: 'it can configure terminals' },
  WAKE_ALARM: { severity: 'low', why: 'it can set alarms that wake the system' },
  BLOCK_SUSPEND: { severity: 'low', why: 'it can keep the system from suspending' },
  DAC_OVERRIDE: { severity: 'low', why: 'it bypasses file read, write and execute permission checks', defaultSet: true },
  SETUID: { severity: 'low', why: 'it can switch to any user ID, root included', defaultSet: true },
  SETGID: { severity: 'low', why: 'it can switch to any group ID, root included', defaultSet: true },
  MKNOD: { severity: 'low', why: 'it can create device nodes', defaultSet: true },
};

interface Escalation {
  readonly severity: Severity;
  readonly combo: string;
  readonly why: string;
}

type Message = 'capability' | 'escape';

export const podDangerousCapabilities = defineCheck({
  id: 'pod-dangerous-capabilities',
  meta: {
    title: 'Dangerous capability added',
    description:
      'Linux capabilities split root\'s powers; a container that adds one gains that power over the kernel it shares with the node. SYS_MODULE loads code into the host kernel; SYS_ADMIN, SYS_RAWIO, DAC_READ_SEARCH and BPF are the raw material of known container escapes; SYS_PTRACE with the host PID namespace or SYS_ADMIN with a host path is an escape outright. The baseline Pod Security Standard allows only a small default set to be added.',
    severity: 'high',
    category: 'workload',
    kinds: POD_SPEC_KINDS,
    messages: {
      capability: 'container "{{container}}" adds {{capability}}: {{why}}',
      escape: 'container "{{container}}" adds {{capability}} {{combo}}: {{why}}',
    } satisfies Record<Message, string>,
    remediation:
      'Remove the capability from `securityContext.capabilities.add`, drop ALL and add back only what the program needs (usually nothing, or NET_BIND_SERVICE). Never combine SYS_PTRACE with hostPID or SYS_ADMIN with hostPath volumes.',
    references: {
      pss: ['capabilities_baseline', 'capabilities_restricted'],
      cis: ['5.2.8', '5.2.9'],
      nsa: ['Pod security: hardening container environments'],
      mitre: ['T1068', 'T1611'],
      urls: ['https://man7.org/linux/man-pages/man7/capabilities.7.html', 'https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline'],
    },
    recommended: true,
  },
  create(ctx) {
    return (obj) => {
      const view = podSpecOrNotEvaluated(ctx, obj);
      // Linux capabilities do not exist on Windows.
      if (!view || isWindowsPod(view)) return;
      for (const c of containersOf(view)) {
        // A privileged container holds every capability anyway; pod-privileged reports it.
        if (getBool(getObject(c.container, 'securityContext'), 'privileged') === true) continue;
        const drop = capabilityEntries(c, 'drop');
        const dropsAll = drop.some((e) => isAllCapabilities(e.raw));
        const droppedByName = new Set(drop.map((e) => e.name));
        const seen = new Set<string>();
        for (const entry of capabilityEntries(c, 'add')) {
          const all = isAllCapabilities(entry.raw);
          const name = all ? 'ALL' : entry.name;
          if (seen.has(name)) continue;
          seen.add(name);
          const risk = CAPABILITY_RISKS[name];
          if (!risk) continue;
          // The runtimes apply add ALL, then drop ALL, then the named adds, then the named drops.
          if (all ? dropsAll : droppedByName.has(name)) continue;
          if (risk.defaultSet === true && !dropsAll) continue;
          const base = { object: obj, container: c.name, path: entry.path } as const;
          const escalation = escalationOf(name, view, c);
          if (escalation) {
            ctx.report({ ...base, messageId: 'escape', severity: escalation.severity, data: { container: c.name, capability: entry.raw, combo: escalation.combo, why: escalation.why } });
          } else {
            ctx.report({ ...base, messageId: 'capability', severity: risk.severity, data: { container: c.name, capability: entry.raw, why: risk.why } });
          }
        }
      }
    };
  },
});

/** The combinations that turn a capability into a container escape (or close to one). */
function escalationOf(name: string, view: PodSpecView, c: ContainerView): Escalation | undefined {
  const hostPID = getBool(view.spec, 'hostPID') === true;
  const hostNetwork = getBool(view.spec, 'hostNetwork') === true;
  const hostPath = hostPathVolumes(view).find((v) => mountAccess(c, v.name) !== 'none');
  switch (name) {
    case 'SYS_PTRACE':
      return hostPID ? { severity: 'critical', combo: 'with hostPID', why: 'it can attach to and inject code into every process of the node' } : undefined;
    case 'SYS_ADMIN':
      return hostPath
        ? { severity: 'critical', combo: `with hostPath volume "${hostPath.name}" mounted`, why: 'it can remount the host path and use host files to break out (cgroup release_agent, mounts)' }
        : undefined;
    case 'DAC_READ_SEARCH':
      return hostPath ? { severity: 'critical', combo: `with hostPath volume "${hostPath.name}" mounted`, why: 'it can open any host file by handle through the mount' } : undefined;
    case 'NET_ADMIN':
      return hostNetwork ? { severity: 'high', combo: 'with hostNetwork', why: "it can rewrite the node's interfaces, routes and firewall rules" } : undefined;
    case 'NET_RAW':
      return hostNetwork ? { severity: 'high', combo: 'with hostNetwork', why: "it can capture and spoof traffic on the node's interfaces" } : undefined;
    default:
      return undefined;
  }
}
