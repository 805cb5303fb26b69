/** pod-capabilities-not-dropped: containers that keep the runtime's default capabilities. */
import { getArray, getObject } from '../../model/object.js';
import { capabilityEntries, isAllCapabilities, isWindowsPod } from '../../model/linux-security.js';
import { containersOf, POD_SPEC_KINDS } from '../../model/podspec.js';
import { joinPath } from '../../model/path.js';
import { defineCheck } from '../../framework/define.js';
import { podSpecOrNotEvaluated } from '../../framework/field-findings.js';

export const podCapabilitiesNotDropped = defineCheck({
  id: 'pod-capabilities-not-dropped',
  meta: {
    title: 'Capabilities not dropped',
    description:
      'Unless a container drops ALL capabilities, it keeps the container runtime\'s default set (with containerd: CHOWN, DAC_OVERRIDE, FOWNER, FSETID, KILL, MKNOD, NET_BIND_SERVICE, NET_RAW, SETFCAP, SETGID, SETPCAP, SETUID, SYS_CHROOT, AUDIT_WRITE). NET_RAW alone allows packet spoofing on the pod network, and each of them widens the kernel attack surface an exploit can use. The restricted Pod Security Standard requires `drop: ["ALL"]`.',
    severity: 'low',
    category: 'workload',
    kinds: POD_SPEC_KINDS,
    messages: {
      unset: 'container "{{container}}" does not drop capabilities: it keeps the runtime\'s default set, NET_RAW included',
      partial: 'container "{{container}}" drops {{dropped}} but not ALL: it keeps the rest of the runtime\'s default set',
    },
    remediation:
      'Set `securityContext.capabilities.drop: ["ALL"]` on every container and add back only what the program needs (usually nothing, or NET_BIND_SERVICE to bind ports below 1024).',
    references: {
      pss: ['capabilities_restricted'],
      cis: ['5.2.8', '5.2.9'],
      nsa: ['Pod security: hardening container environments'],
      mitre: ['T1611'],
      urls: ['https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted'],
    },
    recommended: true,
  },
  create(ctx) {
    return (obj) => {
      const view = podSpecOrNotEvaluated(ctx, obj);
      // Linux capabilities do not exist on Windows; the restricted standard exempts Windows pods.
      if (!view || isWindowsPod(view)) return;
      for (const c of containersOf(view)) {
        const drop = capabilityEntries(c, 'drop');
        if (drop.some((e) => isAllCapabilities(e.raw))) continue;
        const caps = getObject(getObject(c.container, 'securityContext'), 'capabilities');
        const base = { object: obj, container: c.name } as const;
        if (caps && getArray(caps, 'drop').length > 0) {
          ctx.report({ ...base, messageId: 'partial', data: { container: c.name, dropped: drop.map((e) => e.raw).join(', ') || 'nothing' }, path: joinPath(c.path, 'securityContext', 'capabilities', 'drop') });
        } else {
          ctx.report({ ...base, messageId: 'unset', data: { container: c.name }, path: c.path });
        }
      }
    };
  },
});
