/** image-no-digest: container images not pinned by digest. Information: tags are the norm, digests the hardening step. */
import { containerImage } from '../../model/image.js';
import { containersOf, podSpecOf, POD_SPEC_KINDS } from '../../model/podspec.js';
import { defineCheck } from '../../framework/define.js';

export const imageNoDigest = defineCheck({
  id: 'image-no-digest',
  meta: {
    title: 'Image not pinned by digest',
    description:
      'Any tag, not only `latest`, can be moved to other content by whoever can push to the repository. Only a digest (`@sha256:…`) names exactly one image: what was reviewed, scanned and signed is what runs.',
    severity: 'info',
    category: 'supply-chain',
    kinds: POD_SPEC_KINDS,
    messages: {
      tag: 'container "{{container}}" image "{{image}}" is not pinned by digest (tag "{{tag}}" can be moved)',
    },
    remediation: 'Reference the image by digest, keeping the tag for readers: `image: nginx:1.27.2@sha256:<digest>`; let a bot (Renovate, Dependabot) update the digests.',
    references: {
      nsa: ['Pod security: container images'],
      mitre: ['T1525'],
      urls: ['https://kubernetes.io/docs/concepts/containers/images/#image-names', 'https://slsa.dev/'],
    },
    recommended: true,
    // An image without tag or digest is reported by image-latest-tag, which says it pulls a moving "latest".
    restatedBy: ['image-latest-tag'],
  },
  create(ctx) {
    return (obj) => {
      const view = podSpecOf(obj);
      if (!view) return;
      for (const c of containersOf(view)) {
        const img = containerImage(c);
        if (!img) continue;
        if (!img.ref.ok) {
          ctx.notEvaluated({ reason: 'unsupported', object: obj, message: `container "${c.name}": ${img.ref.error}, so its pinning cannot be judged` });
          continue;
        }
        if (img.ref.value.digest !== undefined) continue;
        ctx.report({ messageId: 'tag', data: { container: c.name, image: img.image, tag: img.ref.value.tag ?? 'latest' }, object: obj, container: c.name, path: img.path });
      }
    };
  },
});
