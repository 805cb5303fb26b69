/** secret-helm-release: Helm release records, which hold a release's values and rendered manifests, Secrets included. */
import { getObject, getString } from '../../model/object.js';
import { defineCheck } from '../../framework/define.js';

const RELEASE_NAME = /^sh\.helm\.release\.v1\.(.+)\.v(\d+)$/;

export const secretHelmRelease = defineCheck({
  id: 'secret-helm-release',
  meta: {
    title: 'Helm release record',
    description:
      'Helm 3 stores every revision of a release as a Secret (`sh.helm.release.v1.NAME.vN`, type `helm.sh/release.v1`): the chart, the user-supplied values and the rendered manifests, gzip-compressed and base64-encoded — every password given to the chart and every Secret it renders, in one readable blob. Whoever can read Secrets of the namespace reads them all, for every kept revision; a record committed to a repository or a backup exposes them outright.',
    severity: 'medium',
    category: 'secrets',
    kinds: ['Secret'],
    messages: { release: 'Secret is the Helm record of release "{{release}}" revision {{revision}}: its values and rendered Secrets, readable by whoever reads Secrets in namespace {{namespace}}{{committed}}' },
    remediation:
      'Never commit or export release records. Keep release history short (`helm upgrade --history-max`), restrict Secret reads in release namespaces, pass credentials to charts by reference (existingSecret) rather than as values, and encrypt Secrets at rest.',
    references: {
      mitre: ['T1552.007'],
      urls: ['https://helm.sh/docs/topics/advanced/#storage-backends', 'https://kubernetes.io/docs/concepts/security/secrets-good-practices/'],
    },
    recommended: true,
  },
  create(ctx) {
    return (obj) => {
      if (obj.apiVersion !== 'v1') return;
      const type = getString(obj.raw, 'type');
      const m = RELEASE_NAME.exec(obj.metadata.name);
      const byLabels = obj.metadata.labels.owner === 'helm' && m !== null;
      if (type !== 'helm.sh/release.v1' && !byLabels) return;
      const release = obj.metadata.labels.name ?? m?.[1] ?? '?';
      const revision = obj.metadata.labels.version ?? m?.[2] ?? '?';
      const committed = getString(getObject(obj.raw, 'data'), 'release') !== undefined ? ' (the record, with its data, is in the input)' : '';
      ctx.report({ messageId: 'release', object: obj, path: type !== undefined ? 'type' : 'metadata.name', data: { release, revision, namespace: obj.metadata.namespace ?? 'default', committed } });
    };
  },
});

