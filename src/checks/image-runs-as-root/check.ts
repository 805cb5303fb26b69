/**
 * image-runs-as-root: the image's config sets no USER (or root), and the container does not override it with a
 * non-zero `runAsUser` or `runAsNonRoot: true` — so the process runs as root, as the runtime starts it.
 */
import { CONTAINER_IMAGE, imageTarget, readContainerImage, workloadIndexEngine, workloadObject } from '../../engines/images/objects.js';
import { defineCheck } from '../../framework/define.js';
import { effectiveField } from '../../model/linux-security.js';
import { containersOf, podSpecOf } from '../../model/podspec.js';

/** The runtime's reading of `config.User`: empty, `root`, `0`, or a `root`/`0` user with any group. */
export function isRootUser(user: string): boolean {
  const u = user.split(':')[0] ?? '';
  return u === '' || u === 'root' || u === '0';
}

export const imageRunsAsRoot = defineCheck({
  id: 'image-runs-as-root',
  meta: {
    title: 'Image runs as root',
    description:
      'An image whose config names no USER (or root) starts its process as UID 0 unless the pod says otherwise. A root process turns a container escape or a writable host mount into a host compromise, and can modify the image\'s own files at runtime.',
    severity: 'medium',
    category: 'supply-chain',
    reads: ['*'],
    kinds: [CONTAINER_IMAGE],
    messages: {
      root: '{{what}} {{image}} runs as root: its config sets USER "{{user}}", and no non-root runAsUser or runAsNonRoot overrides it',
    },
    remediation: 'Add `USER 65532` (or another non-root UID) to the Dockerfile, or set `securityContext.runAsNonRoot: true` and `runAsUser` on the pod.',
    references: { pss: ['runAsNonRoot'], cis: ['5.2.7'], nsa: ['Pod security: non-root containers'], mitre: ['T1611'] },
    recommended: true,
  },
  create(ctx) {
    const workloads = ctx.engine(workloadIndexEngine);
    return (obj) => {
      const v = readContainerImage(obj);
      if (!v?.facts || !isRootUser(v.facts.user)) return;
      const w = workloadObject(workloads, v);
      const view = w ? podSpecOf(w) : undefined;
      const c = view ? containersOf(view).find((x) => x.name === v.workload?.container) : undefined;
      if (view && c) {
        const uid = effectiveField(view, c, 'runAsUser')?.value;
        if (typeof uid === 'number' && uid !== 0) return;
        if (effectiveField(view, c, 'runAsNonRoot')?.value === true) return;
      }
      const target = imageTarget(workloads, obj, v);
      ctx.report({ messageId: 'root', data: { what: v.workload ? `container "${v.workload.container}" image` : 'image', image: v.image, user: v.facts.user }, ...target, evidence: `config.User "${v.facts.user}"` });
    };
  },
});
