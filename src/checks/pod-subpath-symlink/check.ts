/**
 * pod-subpath-symlink: subPath mounts of volumes a container can write, on kubelets without the fix of
 * CVE-2021-25741 — a symlink planted in the volume makes the kubelet mount a host path instead.
 */
import { getArray, getObject, getString, isObject } from '../../model/object.js';
import { joinPath } from '../../model/path.js';
import { containersOf, POD_SPEC_KINDS } from '../../model/podspec.js';
import { mountAccess } from '../../model/linux-security.js';
import { defineCheck } from '../../framework/define.js';
import { podSpecOrNotEvaluated } from '../../framework/field-findings.js';

/** First fixed patch per affected minor; minors before 1.19 were never fixed, 1.23 and later never affected. */
const FIXED: Readonly<Record<number, number>> = { 19: 15, 20: 11, 21: 5, 22: 2 };
/** Volume types whose content is written by the kubelet only (never by containers): a symlink cannot be planted. */
const KUBELET_WRITTEN = ['configMap', 'secret', 'downwardAPI', 'projected'];

export const podSubpathSymlink = defineCheck({
  id: 'pod-subpath-symlink',
  meta: {
    title: 'subPath mount on a kubelet open to CVE-2021-25741',
    description:
      'Kubelets before 1.19.15, 1.20.11, 1.21.5 and 1.22.2 follow symlinks when they set up a subPath mount. A container that can write into the volume replaces the subPath with a symlink to `/` and, at the next container start, gets the node\'s root filesystem mounted in — with write access.',
    severity: 'high',
    category: 'workload',
    kinds: POD_SPEC_KINDS,
    messages: { subPath: 'container "{{container}}" mounts volume "{{volume}}" with {{field}}, and container "{{writer}}" can write that volume: on Kubernetes {{version}}{{unless}} a symlink escapes to the node (CVE-2021-25741)' },
    remediation: 'Upgrade the kubelets to 1.19.15, 1.20.11, 1.21.5, 1.22.2 or later; until then avoid subPath on writable volumes, or mount them read-only in every container.',
    references: {
      mitre: ['T1611'],
      urls: ['https://github.com/kubernetes/kubernetes/issues/104980'],
    },
    recommended: true,
  },
  create(ctx) {
    const minor = Number(/^v?1\.(\d+)/.exec(ctx.settings.k8sVersion ?? '')?.[1]);
    // Without a target version kspect judges for the newest Kubernetes, which is not affected.
    const affected = Number.isFinite(minor) && minor < 23;
    const fixedPatch = FIXED[minor];
    return (obj) => {
      if (!affected) return;
      const view = podSpecOrNotEvaluated(ctx, obj);
      if (!view) return;
      const volumes = new Map<string, boolean>();
      for (const v of getArray(view.spec, 'volumes')) {
        const name = getString(v, 'name');
        if (name === undefined || !isObject(v)) continue;
        volumes.set(name, !KUBELET_WRITTEN.some((t) => getObject(v, t) !== undefined));
      }
      // A StatefulSet's claim templates are volumes too: PersistentVolumeClaims, writable.
      if (obj.kind === 'StatefulSet')
        for (const t of getArray(getObject(obj.raw, 'spec'), 'volumeClaimTemplates')) {
          const name = getString(getObject(t, 'metadata'), 'name');
          if (name !== undefined && !volumes.has(name)) volumes.set(name, true);
        }
      const containers = containersOf(view);
      for (const c of containers)
        getArray(c.container, 'volumeMounts').forEach((m, i) => {
          const field = getString(m, 'subPath') ? 'subPath' : getString(m, 'subPathExpr') ? 'subPathExpr' : undefined;
          const volume = getString(m, 'name');
          if (field === undefined || volume === undefined || volumes.get(volume) !== true) return;
          const writer = containers.find((w) => mountAccess(w, volume) === 'writable');
          if (!writer) return;
          ctx.report({
            messageId: 'subPath',
            object: obj,
            container: c.name,
            path: joinPath(c.path, 'volumeMounts', i, field),
            severity: fixedPatch !== undefined ? 'medium' : 'high',
            data: { container: c.name, volume, field, writer: writer.name, version: `1.${minor}`, unless: fixedPatch !== undefined ? ` before 1.${minor}.${fixedPatch}` : '' },
          });
        });
    };
  },
});
