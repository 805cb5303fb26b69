/**
 * pod-low-uid-gid (opt-in hardening): containers whose user or group id is at or below a threshold (10000), where it
 * may coincide with a user or group of the node, and pods that add the root group as a supplementary group.
 */
import { err, ok } from '../../core/result.js';
import { getArray, getObject } from '../../model/object.js';
import { joinPath } from '../../model/path.js';
import { containersOf, effectiveSecurityField, POD_SPEC_KINDS } from '../../model/podspec.js';
import { usesUserNamespace } from '../../model/linux-security.js';
import { defineCheck } from '../../framework/define.js';
import { podSpecOrNotEvaluated } from '../../framework/field-findings.js';

interface Options {
  /** Ids at or below this are reported. */
  readonly threshold: number;
}

export const podLowUidGid = defineCheck<'low' | 'unset' | 'rootGroup', Options>({
  id: 'pod-low-uid-gid',
  meta: {
    title: 'User or group id in the node\'s range',
    description:
      'Without a user namespace, a container\'s user and group ids are the node\'s. Low ids (at or below 10000 by default) are those of the node\'s system and login users: a container that breaks out of its filesystem isolation, or shares a volume with the host, acts with their file permissions. The root group (gid 0) as a supplementary group or fsGroup gives access to every root-group-readable file the container reaches.',
    severity: 'low',
    category: 'workload',
    kinds: POD_SPEC_KINDS,
    messages: {
      low: 'container "{{container}}" runs with {{field}} {{id}}, at or below {{threshold}}: an id of the node\'s own users',
      unset: 'container "{{container}}" sets no {{field}}: the image decides, usually an id at or below {{threshold}}',
      rootGroup: 'pod adds the root group (gid 0) through {{field}}',
    },
    remediation: 'Run containers with `runAsUser` and `runAsGroup` above 10000 (e.g. 10001 or 65532), no gid 0 in `supplementalGroups` or `fsGroup`, or in a user namespace (`hostUsers: false`).',
    references: {
      nsa: ['Pod security: non-root containers'],
      mitre: ['T1611'],
      urls: ['https://kubernetes.io/docs/tasks/configure-pod-container/security-context/', 'https://kubernetes.io/docs/concepts/workloads/pods/user-namespaces/'],
    },
    recommended: false,
    options: {
      defaults: { threshold: 10000 },
      parse: (v) => {
        if (typeof v !== 'object' || v === null || Array.isArray(v)) return err('must be a mapping');
        const out: { threshold: number } = { threshold: 10000 };
        for (const [k, x] of Object.entries(v)) {
          if (k !== 'threshold') return err(`unknown parameter "${k}"`);
          if (typeof x !== 'number' || !Number.isInteger(x) || x < 0) return err('threshold must be a non-negative integer');
          out.threshold = x;
        }
        return ok(out);
      },
      docs: { threshold: 'report user and group ids at or below this (10000)' },
    },
  },
  create(ctx, options) {
    const threshold = options.threshold;
    return (obj) => {
      const view = podSpecOrNotEvaluated(ctx, obj);
      // In a user namespace (hostUsers: false) the ids are mapped away from the node's: nothing to report.
      if (!view || usesUserNamespace(view)) return;
      for (const c of containersOf(view)) {
        for (const field of ['runAsUser', 'runAsGroup'] as const) {
          const v = effectiveSecurityField(view, c, field);
          if (v === undefined) {
            ctx.report({ messageId: 'unset', object: obj, container: c.name, path: joinPath(c.path, 'securityContext', field), data: { container: c.name, field, threshold } });
            continue;
          }
          // Root (0) is pod-run-as-root's finding; here the ids of ordinary node users.
          if (typeof v.value === 'number' && v.value > 0 && v.value <= threshold) ctx.report({ messageId: 'low', object: obj, container: c.name, path: v.path, data: { container: c.name, field, id: v.value, threshold } });
        }
      }
      const psc = getObject(view.spec, 'securityContext');
      const groups = getArray(psc, 'supplementalGroups');
      const i = groups.findIndex((g) => g === 0);
      if (i >= 0) ctx.report({ messageId: 'rootGroup', object: obj, path: joinPath(view.path, 'securityContext', 'supplementalGroups', i), severity: 'medium', data: { field: 'supplementalGroups' } });
      if (psc?.fsGroup === 0) ctx.report({ messageId: 'rootGroup', object: obj, path: joinPath(view.path, 'securityContext', 'fsGroup'), severity: 'medium', data: { field: 'fsGroup' } });
    };
  },
});
