/** Workload checks beyond the Pod Security Standards. Sorted by id. */
import type { AnyCheck } from '../framework/define.js';
import { podApparmorUnconfined } from '../pod-apparmor-unconfined/check.js';
import { podCapabilitiesNotDropped } from '../pod-capabilities-not-dropped/check.js';
import { podDangerousCapabilities } from '../pod-dangerous-capabilities/check.js';
import { podHostIpc } from '../pod-host-ipc/check.js';
import { podHostNetwork } from '../pod-host-network/check.js';
import { podHostPath } from '../pod-host-path/check.js';
import { podHostPid } from '../pod-host-pid/check.js';
import { podHostPort } from '../pod-host-port/check.js';
import { podPrivilegeEscalation } from '../pod-privilege-escalation/check.js';
import { podPrivileged } from '../pod-privileged/check.js';
import { podProcMountUnmasked } from '../pod-proc-mount-unmasked/check.js';
import { podRunAsRoot } from '../pod-run-as-root/check.js';
import { podSeccompUnconfined } from '../pod-seccomp-unconfined/check.js';
import { podSelinuxCustom } from '../pod-selinux-custom/check.js';
import { podUnsafeSysctls } from '../pod-unsafe-sysctls/check.js';
import { podWritableRootFs } from '../pod-writable-root-fs/check.js';

export const workloadChecks: readonly AnyCheck[] = [
  podApparmorUnconfined,
  podCapabilitiesNotDropped,
  podDangerousCapabilities,
  podHostIpc,
  podHostNetwork,
  podHostPath,
  podHostPid,
  podHostPort,
  podPrivilegeEscalation,
  podPrivileged,
  podProcMountUnmasked,
  podRunAsRoot,
  podSeccompUnconfined,
  podSelinuxCustom,
  podUnsafeSysctls,
  podWritableRootFs,
];
