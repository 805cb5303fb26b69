/**
 * image-pull-policy: a mutable image (no digest) whose effective `imagePullPolicy` is not Always — explicit,
 * or defaulted by the API server to IfNotPresent because the tag is not `latest`.
 */
import { containerImage, defaultPullPolicy } from '../../model/image.js';
import { getString } from '../../model/object.js';
import { containersOf, podSpecOf, POD_SPEC_KINDS } from '../../model/podspec.js';
import { joinPath } from '../../model/path.js';
import { defineCheck } from '../../framework/define.js';

export const imagePullPolicy = defineCheck({
  id: 'image-pull-policy',
  meta: {
    title: 'Mutable image not always pulled',
    description:
      'With `IfNotPresent` (the default for any tag but `latest`) or `Never`, a node runs whatever image it cached under that tag: possibly an older build, possibly one planted on the node, and — on a shared node — an image another tenant pulled with credentials this pod does not have. `Always` makes the kubelet resolve the tag against the registry, with this pod\'s pull credentials, on every start.',
    severity: 'low',
    category: 'supply-chain',
    kinds: POD_SPEC_KINDS,
    messages: {
      explicit: 'container "{{container}}" runs mutable image "{{image}}" with imagePullPolicy {{policy}}',
      defaulted: 'container "{{container}}" runs mutable image "{{image}}" and imagePullPolicy is not set, so it defaults to IfNotPresent (tag "{{tag}}")',
    },
    remediation: 'Pin the image by digest (then any pull policy is safe), or set `imagePullPolicy: Always`; cluster-wide, enable the AlwaysPullImages admission plugin.',
    references: {
      cis: ['1.2.11'],
      nsa: ['Pod security: container images'],
      mitre: ['T1525'],
      urls: ['https://kubernetes.io/docs/concepts/containers/images/#image-pull-policy'],
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
          ctx.notEvaluated({ reason: 'unsupported', object: obj, message: `container "${c.name}": ${img.ref.error}, so whether it is mutable cannot be judged` });
          continue;
        }
        if (img.ref.value.digest !== undefined) continue;
        const path = joinPath(c.path, 'imagePullPolicy');
        const explicit = getString(c.container, 'imagePullPolicy');
        if (explicit !== undefined && explicit !== '') {
          if (explicit !== 'Always') ctx.report({ messageId: 'explicit', data: { container: c.name, image: img.image, policy: explicit }, object: obj, container: c.name, path });
        } else if (defaultPullPolicy(img.image) !== 'Always') {
          ctx.report({ messageId: 'defaulted', data: { container: c.name, image: img.image, tag: img.ref.value.tag ?? '' }, object: obj, container: c.name, path });
        }
      }
    };
  },
});
