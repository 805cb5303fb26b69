/** pod-proc-mount-unmasked: containers that see /proc without the runtime's masks. */
import { getObject, getString } from '../../model/object.js';
import { isWindowsPod, usesUserNamespace } from '../../model/linux-security.js';
import { containersOf, POD_SPEC_KINDS } from '../../model/podspec.js';
import { joinPath } from '../../model/path.js';
import { defineCheck } from '../../framework/define.js';
import { podSpecOrNotEvaluated } from '../../framework/field-findings.js';

export const podProcMountUnmasked = defineCheck({
  id: 'pod-proc-mount-unmasked',
  meta: {
    title: 'Unmasked /proc',
    description:
      "The container runtime masks and makes read-only the parts of /proc that expose or control the host kernel (/proc/kcore, /proc/sysrq-trigger, /proc/sys, /proc/keys, …). `procMount: Unmasked` removes those masks; outside a user namespace a root process can then read kernel memory and change kernel settings of the node. The baseline Pod Security Standard forbids it unless the pod runs in a user namespace.",
    severity: 'medium',
    category: 'workload',
    kinds: POD_SPEC_KINDS,
    messages: {
      unmasked: 'container "{{container}}" sets procMount: Unmasked without a user namespace: the host kernel parts of /proc are not masked',
      other: 'container "{{container}}" sets procMount: {{value}}, which is not Default: the runtime\'s /proc masks may not apply',
    },
    remediation: 'Remove `procMount: Unmasked` (the default is `Default`). Nested container runtimes that need it should run in a user namespace (`hostUsers: false`).',
    references: {
      pss: ['procMount'],
      cis: ['5.6.3'],
      nsa: ['Pod security: hardening container environments'],
      mitre: ['T1611'],
      urls: ['https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline'],
    },
    recommended: true,
  },
  create(ctx) {
    return (obj) => {
      const view = podSpecOrNotEvaluated(ctx, obj);
      // In a user namespace the unmasked /proc belongs to that namespace (the standards allow it there since v1.35).
      if (!view || isWindowsPod(view) || usesUserNamespace(view)) return;
      for (const c of containersOf(view)) {
        const value = getString(getObject(c.container, 'securityContext'), 'procMount');
        if (value === undefined || value === 'Default') continue;
        // The API knows Default and Unmasked only; anything else is judged like the admission controller does: not Default.
        ctx.report({ messageId: value === 'Unmasked' ? 'unmasked' : 'other', data: { container: c.name, value }, object: obj, container: c.name, path: joinPath(c.path, 'securityContext', 'procMount') });
      }
    };
  },
});
