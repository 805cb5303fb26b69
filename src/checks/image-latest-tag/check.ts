/** image-latest-tag: containers whose image uses the tag `latest`, or no tag and no digest (which pulls `latest`). */
import { containerImage } from '../../model/image.js';
import { containersOf, podSpecOf, POD_SPEC_KINDS } from '../../model/podspec.js';
import { defineCheck } from '../../framework/define.js';

export const imageLatestTag = defineCheck({
  id: 'image-latest-tag',
  meta: {
    title: 'Image uses the latest tag',
    description:
      'The `latest` tag — which is also what an image without tag or digest pulls — points at whatever was pushed last. Nobody can tell which code runs, two nodes may run different code under the same spec, a rollback cannot return to a known version, and a compromised registry account changes production at the next pull.',
    severity: 'medium',
    category: 'supply-chain',
    kinds: POD_SPEC_KINDS,
    messages: {
      latest: 'container "{{container}}" uses image "{{image}}" with the mutable tag "latest"',
      untagged: 'container "{{container}}" uses image "{{image}}" without a tag or digest, so it pulls "latest"',
    },
    remediation: 'Use an immutable, versioned tag (e.g. `nginx:1.27.2`) or, better, pin the digest (`nginx:1.27.2@sha256:…`).',
    references: {
      nsa: ['Pod security: container images'],
      mitre: ['T1525', 'T1610'],
      urls: ['https://kubernetes.io/docs/concepts/containers/images/#image-names'],
    },
    recommended: true,
  },
  create(ctx) {
    return (obj) => {
      const view = podSpecOf(obj);
      if (!view) return;
      for (const c of containersOf(view)) {
        const img = containerImage(c);
        if (!img) continue;
        if (!img.ref.ok) {
          ctx.notEvaluated({ reason: 'unsupported', object: obj, message: `container "${c.name}": ${img.ref.error}, so its tag cannot be judged` });
          continue;
        }
        const ref = img.ref.value;
        if (ref.digest !== undefined) continue;
        if (ref.tag === undefined) ctx.report({ messageId: 'untagged', data: { container: c.name, image: img.image }, object: obj, container: c.name, path: img.path });
        else if (ref.tag === 'latest') ctx.report({ messageId: 'latest', data: { container: c.name, image: img.image }, object: obj, container: c.name, path: img.path });
      }
    };
  },
});
