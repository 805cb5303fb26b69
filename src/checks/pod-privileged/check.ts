/** pod-privileged: containers running privileged, with every capability and device of the host. */
import { getObject, getBool } from '../../model/object.js';
import { containersOf, podSpecOf, POD_SPEC_KINDS } from '../../model/podspec.js';
import { joinPath } from '../../model/path.js';
import { defineCheck } from '../../framework/define.js';

export const podPrivileged = defineCheck({
  id: 'pod-privileged',
  meta: {
    title: 'Privileged container',
    description:
      'A privileged container runs with every Linux capability, sees every host device and is not confined by seccomp or AppArmor: anyone who controls it controls the node. The Pod Security Standards forbid it from the baseline level up.',
    severity: 'critical',
    category: 'workload',
    kinds: POD_SPEC_KINDS,
    messages: { privileged: 'container "{{container}}" runs privileged' },
    remediation: 'Remove `securityContext.privileged: true` (or set it to false); grant only the specific capabilities the container needs.',
    references: {
      pss: ['privileged'],
      cis: ['5.2.2'],
      nsa: ['Pod security: non-root containers and privileged escalation'],
      mitre: ['T1611'],
      urls: ['https://kubernetes.io/docs/concepts/security/pod-security-standards/'],
    },
    recommended: true,
  },
  create(ctx) {
    return (obj) => {
      const view = podSpecOf(obj);
      if (!view) return;
      for (const c of containersOf(view)) {
        if (getBool(getObject(c.container, 'securityContext'), 'privileged') === true) {
          ctx.report({ messageId: 'privileged', data: { container: c.name }, object: obj, container: c.name, path: joinPath(c.path, 'securityContext', 'privileged') });
        }
      }
    };
  },
});
