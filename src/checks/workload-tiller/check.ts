/** workload-tiller: Helm 2's Tiller, an unauthenticated gRPC service that installs anything with cluster-admin. */
import { getArray, getString } from '../../model/object.js';
import { parseImageRef } from '../../model/image.js';
import { containersOf, POD_SPEC_KINDS } from '../../model/podspec.js';
import { defineCheck } from '../../framework/define.js';
import { podSpecOrNotEvaluated } from '../../framework/field-findings.js';

/** Repositories Tiller was published under. */
const TILLER_REPOS = new Set(['gcr.io/kubernetes-helm/tiller', 'ghcr.io/helm/tiller', 'docker.io/jessestuart/tiller']);

export const workloadTiller = defineCheck({
  id: 'workload-tiller',
  meta: {
    title: 'Helm 2 Tiller deployed',
    description:
      'Tiller, the server half of Helm 2 (end of life since November 2020), listens on gRPC port 44134 without authentication by default and installs whatever chart it is sent with its own service account — usually cluster-admin. Any pod that can reach it owns the cluster.',
    severity: 'high',
    category: 'workload',
    kinds: POD_SPEC_KINDS,
    messages: { tiller: 'container "{{container}}" runs Helm 2 Tiller ({{image}}){{listen}}: unauthenticated chart installs with its service account\'s rights' },
    remediation: 'Migrate to Helm 3 (no in-cluster component; `helm 2to3`), then delete the Tiller Deployment, its Service and its ServiceAccount binding.',
    references: {
      mitre: ['T1610', 'T1078.001'],
      urls: ['https://helm.sh/blog/helm-v2-deprecation-timeline/', 'https://v2.helm.sh/docs/securing_installation/'],
    },
    recommended: true,
  },
  create(ctx) {
    return (obj) => {
      const view = podSpecOrNotEvaluated(ctx, obj);
      if (!view) return;
      for (const c of containersOf(view)) {
        const image = getString(c.container, 'image') ?? '';
        const ref = parseImageRef(image);
        if (!ref.ok || !TILLER_REPOS.has(ref.value.name)) continue;
        const args = [...getArray(c.container, 'command'), ...getArray(c.container, 'args')].filter((a): a is string => typeof a === 'string');
        const localOnly = args.some((a) => /^--listen=(?:localhost|127\.0\.0\.1):/.test(a));
        ctx.report({
          messageId: 'tiller',
          object: obj,
          container: c.name,
          path: `${c.path}.image`,
          severity: localOnly ? 'medium' : 'high',
          data: { container: c.name, image, listen: localOnly ? ' (listening on localhost only)' : ' on port 44134 of the pod network' },
        });
      }
    };
  },
});
