/** pod-writable-root-fs: containers whose root filesystem is writable. */
import { getBool, getObject } from '../../model/object.js';
import { isWindowsPod } from '../../model/linux-security.js';
import { containersOf, POD_SPEC_KINDS } from '../../model/podspec.js';
import { joinPath } from '../../model/path.js';
import { defineCheck } from '../../framework/define.js';
import { podSpecOrNotEvaluated } from '../../framework/field-findings.js';

export const podWritableRootFs = defineCheck({
  id: 'pod-writable-root-fs',
  meta: {
    title: 'Writable root filesystem',
    description:
      'A container with a writable root filesystem lets an intruder drop tools, modify binaries and configuration, and persist for the life of the container. With `readOnlyRootFilesystem: true` the image stays immutable and writes go only to the volumes the pod declares.',
    severity: 'low',
    category: 'workload',
    kinds: POD_SPEC_KINDS,
    messages: {
      unset: 'container "{{container}}" does not set readOnlyRootFilesystem: true (its root filesystem is writable)',
      writable: 'container "{{container}}" sets readOnlyRootFilesystem: false',
    },
    remediation:
      'Set `securityContext.readOnlyRootFilesystem: true` on every container and mount an `emptyDir` (optionally `medium: Memory`) at each path the program must write, such as /tmp.',
    references: {
      cis: ['5.6.3'],
      nsa: ['Pod security: immutable container file systems'],
      mitre: ['T1036'],
      urls: ['https://kubernetes.io/docs/tasks/configure-pod-container/security-context/'],
    },
    recommended: true,
  },
  create(ctx) {
    return (obj) => {
      const view = podSpecOrNotEvaluated(ctx, obj);
      // readOnlyRootFilesystem cannot be set on Windows pods.
      if (!view || isWindowsPod(view)) return;
      for (const c of containersOf(view)) {
        const ro = getBool(getObject(c.container, 'securityContext'), 'readOnlyRootFilesystem');
        if (ro === true) continue;
        if (ro === false) {
          ctx.report({ messageId: 'writable', data: { container: c.name }, object: obj, container: c.name, path: joinPath(c.path, 'securityContext', 'readOnlyRootFilesystem') });
        } else {
          ctx.report({ messageId: 'unset', data: { container: c.name }, object: obj, container: c.name, path: c.path });
        }
      }
    };
  },
});
