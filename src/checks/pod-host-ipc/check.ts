/** pod-host-ipc: pods that share the host's IPC namespace. */
import { getBool } from '../../model/object.js';
import { POD_SPEC_KINDS } from '../../model/podspec.js';
import { joinPath } from '../../model/path.js';
import { defineCheck } from '../../framework/define.js';
import { podSpecOrNotEvaluated } from '../../framework/field-findings.js';

export const podHostIpc = defineCheck({
  id: 'pod-host-ipc',
  meta: {
    title: 'Host IPC namespace shared',
    description:
      "With `hostIPC: true` the pod's containers share System V IPC objects and POSIX message queues with every process of the node: they can read and write shared memory segments of host processes and of other pods using hostIPC, and interfere with them.",
    severity: 'high',
    category: 'workload',
    kinds: POD_SPEC_KINDS,
    messages: { hostIPC: "pod shares the host IPC namespace (hostIPC: true): its containers reach the shared memory and message queues of the node's processes" },
    remediation: 'Remove `hostIPC: true`; share memory between containers of one pod through an `emptyDir` with `medium: Memory` instead.',
    references: {
      pss: ['hostNamespaces'],
      cis: ['5.2.4'],
      nsa: ['Pod security: hardening container environments'],
      mitre: ['T1611', 'T1552'],
      urls: ['https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline'],
    },
    recommended: true,
  },
  create(ctx) {
    return (obj) => {
      const view = podSpecOrNotEvaluated(ctx, obj);
      if (view && getBool(view.spec, 'hostIPC') === true) {
        ctx.report({ messageId: 'hostIPC', object: obj, path: joinPath(view.path, 'hostIPC') });
      }
    };
  },
});
