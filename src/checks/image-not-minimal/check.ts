/**
 * image-not-minimal: an image the policy (`images.hygiene.distroless`) says must be minimal carries a shell or a
 * package manager in its layers. `images verify` reads the layers of those images only.
 */
import { CONTAINER_IMAGE, imageTarget, readContainerImage, workloadIndexEngine } from '../../engines/images/objects.js';
import { defineCheck } from '../../framework/define.js';

export const imageNotMinimal = defineCheck({
  id: 'image-not-minimal',
  meta: {
    title: 'Image required to be minimal has a shell or package manager',
    description:
      'Distroless and scratch-based images ship only the application and its runtime. A shell or package manager in an image meant to be minimal is what an attacker needs after a code-execution bug: to explore, download tools and persist. It also widens what vulnerability scanners find.',
    severity: 'medium',
    category: 'supply-chain',
    reads: ['*'],
    kinds: [CONTAINER_IMAGE],
    messages: {
      unwanted: '{{what}} {{image}} must be minimal (images.hygiene.distroless) but contains {{files}}',
    },
    remediation: 'Build on a distroless or scratch base (e.g. gcr.io/distroless/static) with a multi-stage build, copying only the binary and its runtime files.',
    references: { nsa: ['Pod security: container images'], mitre: ['T1204.003'], urls: ['https://github.com/GoogleContainerTools/distroless'] },
    recommended: true,
  },
  create(ctx) {
    const workloads = ctx.engine(workloadIndexEngine);
    return (obj) => {
      const v = readContainerImage(obj);
      const unwanted = v?.facts?.unwanted;
      if (!v || !unwanted || unwanted.length === 0) return;
      const what = v.workload ? `container "${v.workload.container}" image` : 'image';
      ctx.report({ messageId: 'unwanted', data: { what, image: v.image, files: unwanted.slice(0, 6).join(', ') }, ...imageTarget(workloads, obj, v), evidence: unwanted.join(', ') });
    };
  },
});
