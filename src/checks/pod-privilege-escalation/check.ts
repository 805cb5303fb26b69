/** pod-privilege-escalation: containers whose processes may gain more privileges than they started with. */
import { getBool, getObject } from '../../model/object.js';
import { capabilityEntries, isWindowsPod } from '../../model/linux-security.js';
import { containersOf, POD_SPEC_KINDS } from '../../model/podspec.js';
import { joinPath } from '../../model/path.js';
import { defineCheck } from '../../framework/define.js';
import { podSpecOrNotEvaluated } from '../../framework/field-findings.js';

export const podPrivilegeEscalation = defineCheck({
  id: 'pod-privilege-escalation',
  meta: {
    title: 'Privilege escalation allowed',
    description:
      'Unless `allowPrivilegeEscalation` is false, the kernel does not set `no_new_privs` on the container process: a setuid binary or a file capability in the image can raise a process above the user and capabilities it started with. Kubernetes always allows escalation for privileged containers and for containers that add SYS_ADMIN. The restricted Pod Security Standard requires the field to be false.',
    severity: 'medium',
    category: 'workload',
    kinds: POD_SPEC_KINDS,
    messages: {
      unset: 'container "{{container}}" does not set allowPrivilegeEscalation: false (escalation is allowed by default)',
      allowed: 'container "{{container}}" sets allowPrivilegeEscalation: true',
      implied: 'container "{{container}}" can always escalate privileges: {{cause}} implies allowPrivilegeEscalation whatever the field says',
    },
    remediation:
      'Set `securityContext.allowPrivilegeEscalation: false` on every container and init container; do not run it privileged or with SYS_ADMIN.',
    references: {
      pss: ['allowPrivilegeEscalation'],
      cis: ['5.2.6'],
      nsa: ['Pod security: non-root containers and privileged escalation'],
      mitre: ['T1068', 'T1611'],
      urls: ['https://kubernetes.io/docs/tasks/configure-pod-container/security-context/'],
    },
    recommended: true,
    // A privileged container escalates whatever the field says: pod-privileged, at the same field, already says so.
    restatedBy: ['pod-privileged'],
  },
  create(ctx) {
    return (obj) => {
      const view = podSpecOrNotEvaluated(ctx, obj);
      // Windows has no setuid or no_new_privs; the restricted standard exempts Windows pods too.
      if (!view || isWindowsPod(view)) return;
      for (const c of containersOf(view)) {
        const sc = getObject(c.container, 'securityContext');
        const sysAdmin = capabilityEntries(c, 'add').find((e) => e.name === 'SYS_ADMIN');
        const ape = getBool(sc, 'allowPrivilegeEscalation');
        const base = { object: obj, container: c.name } as const;
        if (getBool(sc, 'privileged') === true) {
          ctx.report({ ...base, messageId: 'implied', data: { container: c.name, cause: 'privileged: true' }, path: joinPath(c.path, 'securityContext', 'privileged') });
        } else if (sysAdmin) {
          ctx.report({ ...base, messageId: 'implied', data: { container: c.name, cause: `capability ${sysAdmin.raw}` }, path: sysAdmin.path });
        } else if (ape === true) {
          ctx.report({ ...base, messageId: 'allowed', data: { container: c.name }, path: joinPath(c.path, 'securityContext', 'allowPrivilegeEscalation') });
        } else if (ape === undefined) {
          ctx.report({ ...base, messageId: 'unset', data: { container: c.name }, path: c.path });
        }
      }
    };
  },
});
