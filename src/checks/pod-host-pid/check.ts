/** pod-host-pid: pods that share the host's process ID namespace. */
import { getBool } from '../../model/object.js';
import { POD_SPEC_KINDS } from '../../model/podspec.js';
import { joinPath } from '../../model/path.js';
import { defineCheck } from '../../framework/define.js';
import { podSpecOrNotEvaluated } from '../../framework/field-findings.js';

export const podHostPid = defineCheck({
  id: 'pod-host-pid',
  meta: {
    title: 'Host PID namespace shared',
    description:
      "With `hostPID: true` the pod's containers see every process of the node. A root process can read their environment and memory through /proc (tokens, keys), signal them, and — with SYS_PTRACE or privileges — enter their namespaces with nsenter, which is a complete escape to the host.",
    severity: 'high',
    category: 'workload',
    kinds: POD_SPEC_KINDS,
    messages: { hostPID: 'pod shares the host PID namespace (hostPID: true): its containers see and can signal every process of the node' },
    remediation: 'Remove `hostPID: true`. Debugging and monitoring agents that need it belong in a separately controlled namespace with an exemption.',
    references: {
      pss: ['hostNamespaces'],
      cis: ['5.2.3'],
      nsa: ['Pod security: hardening container environments'],
      mitre: ['T1552', 'T1611'],
      urls: ['https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline'],
    },
    recommended: true,
  },
  create(ctx) {
    return (obj) => {
      const view = podSpecOrNotEvaluated(ctx, obj);
      if (view && getBool(view.spec, 'hostPID') === true) {
        ctx.report({ messageId: 'hostPID', object: obj, path: joinPath(view.path, 'hostPID') });
      }
    };
  },
});
