/**
 * pod-root-default-capabilities: root containers that keep the capabilities of the runtime's default set which, held by
 * root together, let a process take any identity and any file (SETUID, SETGID, CHOWN, DAC_OVERRIDE, FOWNER, KILL).
 */
import { getBool, getObject } from '../../model/object.js';
import { capabilityEntries, effectiveField, isAllCapabilities, isWindowsPod, usesUserNamespace } from '../../model/linux-security.js';
import { containersOf, POD_SPEC_KINDS } from '../../model/podspec.js';
import { defineCheck } from '../../framework/define.js';
import { podSpecOrNotEvaluated } from '../../framework/field-findings.js';

/** Default-set capabilities that matter for root: identity (SETUID, SETGID), files (CHOWN, DAC_OVERRIDE, FOWNER), signals (KILL). */
export const ROOT_CAPABILITIES = ['SETUID', 'SETGID', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'KILL'] as const;

export const podRootDefaultCapabilities = defineCheck({
  id: 'pod-root-default-capabilities',
  meta: {
    title: 'Root container keeps the default capabilities',
    description:
      'The runtime\'s default capability set is harmless for an unprivileged user but not for root: SETUID and SETGID let root become any user and group, CHOWN, DAC_OVERRIDE and FOWNER let it read, change and take over every file it can reach — volumes shared with other containers, host paths, service-account tokens of other users — and KILL lets it signal every process of the pod. Together with one more weakness (a writable host path, a kernel bug) they turn a compromised process into an escape.',
    severity: 'medium',
    category: 'workload',
    kinds: POD_SPEC_KINDS,
    messages: { root: 'container "{{container}}" runs as root ({{how}}) and keeps {{caps}} of the runtime\'s default capabilities' },
    remediation: 'Run as a non-root user (`runAsNonRoot: true`, `runAsUser` above 0), drop ALL capabilities and add back only what the process needs, or run the pod in a user namespace (`hostUsers: false`).',
    references: {
      pss: ['capabilities_restricted', 'runAsNonRoot'],
      nsa: ['Pod security: non-root containers'],
      mitre: ['T1068', 'T1611'],
      urls: ['https://kubernetes.io/docs/tasks/configure-pod-container/security-context/#set-capabilities-for-a-container', 'https://man7.org/linux/man-pages/man7/capabilities.7.html'],
    },
    recommended: true,
    // The same container and field as pod-run-as-root's finding: one finding, at the more serious severity.
    restatedBy: ['pod-run-as-root'],
  },
  create(ctx) {
    return (obj) => {
      const view = podSpecOrNotEvaluated(ctx, obj);
      // Windows has no Linux capabilities; in a user namespace root is not the node's root.
      if (!view || isWindowsPod(view) || usesUserNamespace(view)) return;
      for (const c of containersOf(view)) {
        // A privileged container holds every capability: pod-privileged says so.
        if (getBool(getObject(c.container, 'securityContext'), 'privileged') === true) continue;
        const uid = effectiveField(view, c, 'runAsUser');
        let how: string;
        let path: string;
        if (uid?.value === 0) {
          how = 'runAsUser: 0';
          path = uid.path;
        } else if (typeof uid?.value !== 'number' && effectiveField(view, c, 'runAsNonRoot')?.value !== true) {
          how = 'no runAsUser or runAsNonRoot: the image decides, usually root';
          path = c.path;
        } else continue;
        const drop = capabilityEntries(c, 'drop');
        if (drop.some((d) => isAllCapabilities(d.raw))) continue;
        const dropped = new Set(drop.map((d) => d.name));
        const kept = ROOT_CAPABILITIES.filter((k) => !dropped.has(k));
        if (kept.length === 0) continue;
        ctx.report({ messageId: 'root', object: obj, container: c.name, path, data: { container: c.name, how, caps: kept.join(', ') } });
      }
    };
  },
});
