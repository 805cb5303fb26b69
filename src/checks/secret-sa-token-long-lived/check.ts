/** secret-sa-token-long-lived: Secrets of type kubernetes.io/service-account-token, tokens that never expire. */
import { getObject, getString } from '../../model/object.js';
import { defineCheck } from '../../framework/define.js';

const SA_ANNOTATION = 'kubernetes.io/service-account.name';

export const secretSaTokenLongLived = defineCheck({
  id: 'secret-sa-token-long-lived',
  meta: {
    title: 'Long-lived service-account token Secret',
    description:
      'A Secret of type `kubernetes.io/service-account-token` makes the token controller store a ServiceAccount token that never expires and is not bound to a pod. Whoever can read the Secret — or finds a copy in a backup, a CI log or a laptop — holds the account\'s permissions until the Secret is deleted.',
    severity: 'medium',
    category: 'secrets',
    kinds: ['Secret'],
    messages: {
      token: 'is a long-lived token of service account "{{sa}}"{{filled}}',
      noAccount: 'is of type kubernetes.io/service-account-token but names no service account (annotation {{annotation}} is missing), so the API server rejects it',
    },
    remediation:
      'Delete the Secret and let pods use projected, expiring tokens (the default since v1.22); for clients outside the cluster issue short-lived tokens with `kubectl create token` or the TokenRequest API.',
    references: {
      cis: ['5.1.6'],
      nsa: ['Authentication and authorization: service account tokens'],
      mitre: ['T1528', 'T1552'],
      urls: ['https://kubernetes.io/docs/concepts/security/service-accounts/#get-a-token', 'https://kubernetes.io/docs/reference/access-authn-authz/service-accounts-admin/#legacy-serviceaccount-token-cleaner'],
    },
    recommended: true,
  },
  create(ctx) {
    return (obj) => {
      if (obj.apiVersion !== 'v1' || getString(obj.raw, 'type') !== 'kubernetes.io/service-account-token') return;
      const sa = obj.metadata.annotations[SA_ANNOTATION];
      if (sa === undefined || sa === '') {
        ctx.report({ messageId: 'noAccount', data: { annotation: SA_ANNOTATION }, object: obj, path: 'type', severity: 'info' });
        return;
      }
      // Never the data: only whether the controller already filled it in.
      const filled = getString(getObject(obj.raw, 'data'), 'token') !== undefined ? ' (the token is present in the input)' : '';
      ctx.report({ messageId: 'token', data: { sa, filled }, object: obj, path: 'type' });
    };
  },
});
