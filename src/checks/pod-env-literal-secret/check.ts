/**
 * pod-env-literal-secret: credentials written as literal `env[].value`s in a pod spec. The value is
 * never printed: findings name the variable and say what it looks like.
 */
import { judgeLiteral } from '../../engines/credentials/credentials.js';
import { getArray, getString } from '../../model/object.js';
import { containersOf, podSpecOf, POD_SPEC_KINDS } from '../../model/podspec.js';
import { joinPath } from '../../model/path.js';
import { defineCheck } from '../../framework/define.js';

export const podEnvLiteralSecret = defineCheck({
  id: 'pod-env-literal-secret',
  meta: {
    title: 'Credential in a literal environment variable',
    description:
      'A password, token or key written as a literal `env` value lives in plain text in the manifest, in Git, in every rendered copy, in the object stored by the API server (readable by anyone who can get the workload) and in the `last-applied-configuration` annotation. Secrets are the place for credentials.',
    severity: 'high',
    category: 'secrets',
    kinds: POD_SPEC_KINDS,
    messages: {
      literal: 'container "{{container}}" sets env var {{name}} to a literal value that {{hint}}',
    },
    remediation:
      'Move the value into a Secret (or an external secret store) and mount it as a read-only file, or at least reference it with `valueFrom.secretKeyRef`; then rotate the credential, since it was exposed.',
    references: {
      cis: ['5.4.1', '5.4.2'],
      nsa: ['Pod security: secrets'],
      mitre: ['T1552.001', 'T1552.007'],
      urls: ['https://kubernetes.io/docs/concepts/configuration/secret/'],
    },
    recommended: true,
  },
  create(ctx) {
    return (obj) => {
      const view = podSpecOf(obj);
      if (!view) return;
      for (const c of containersOf(view)) {
        getArray(c.container, 'env').forEach((e, j) => {
          const name = getString(e, 'name');
          const value = getString(e, 'value');
          if (name === undefined || value === undefined) return;
          const verdict = judgeLiteral(name, value);
          if (!verdict) return;
          ctx.report({
            messageId: 'literal',
            data: { container: c.name, name, hint: verdict.hint },
            object: obj,
            container: c.name,
            path: joinPath(c.path, 'env', j, 'value'),
            // A value that is a credential by its shape is certain; one judged by its name only is likely.
            ...(verdict.by === 'name' ? { severity: 'medium' as const } : {}),
            evidence: `env ${name}: value withheld (${verdict.hint})`,
          });
        });
      }
    };
  },
});
