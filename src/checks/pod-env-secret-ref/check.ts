/** pod-env-secret-ref: Secrets handed to containers as environment variables rather than read-only files. */
import { getArray, getObject, getString } from '../../model/object.js';
import { containersOf, podSpecOf, POD_SPEC_KINDS } from '../../model/podspec.js';
import { joinPath } from '../../model/path.js';
import { defineCheck } from '../../framework/define.js';

export const podEnvSecretRef = defineCheck({
  id: 'pod-env-secret-ref',
  meta: {
    title: 'Secret passed as an environment variable',
    description:
      'Environment variables leak more easily than files: they are inherited by every child process, dumped in crash reports and debug endpoints, printed by `env` in a shell, visible in /proc/<pid>/environ, and cannot be updated without a restart. Mounting the Secret as a read-only volume keeps it out of all of these.',
    severity: 'low',
    category: 'secrets',
    kinds: POD_SPEC_KINDS,
    messages: {
      key: 'container "{{container}}" receives key "{{key}}" of Secret "{{secret}}" as env var {{name}}',
      all: 'container "{{container}}" imports every key of Secret "{{secret}}" as environment variables{{prefix}}',
    },
    remediation: 'Mount the Secret as a volume (`readOnly: true`) and have the application read the file; keep env vars for non-secret configuration.',
    references: {
      cis: ['5.4.1'],
      nsa: ['Pod security: secrets'],
      mitre: ['T1552.007'],
      urls: ['https://kubernetes.io/docs/concepts/configuration/secret/#using-secrets-as-files-from-a-pod'],
    },
    recommended: true,
  },
  create(ctx) {
    return (obj) => {
      const view = podSpecOf(obj);
      if (!view) return;
      for (const c of containersOf(view)) {
        getArray(c.container, 'env').forEach((e, j) => {
          const ref = getObject(getObject(e, 'valueFrom'), 'secretKeyRef');
          if (!ref) return;
          ctx.report({
            messageId: 'key',
            data: { container: c.name, name: getString(e, 'name') ?? `#${j}`, key: getString(ref, 'key') ?? '?', secret: getString(ref, 'name') ?? '?' },
            object: obj,
            container: c.name,
            path: joinPath(c.path, 'env', j, 'valueFrom', 'secretKeyRef'),
          });
        });
        getArray(c.container, 'envFrom').forEach((e, k) => {
          const ref = getObject(e, 'secretRef');
          if (!ref) return;
          const prefix = getString(e, 'prefix');
          ctx.report({
            messageId: 'all',
            data: { container: c.name, secret: getString(ref, 'name') ?? '?', prefix: prefix !== undefined && prefix !== '' ? ` (prefixed ${prefix})` : '' },
            object: obj,
            container: c.name,
            path: joinPath(c.path, 'envFrom', k, 'secretRef'),
          });
        });
      }
    };
  },
});
