/** exposed-kubelet-anonymous-auth: the kubelet authenticates anonymous requests (its 403s name system:anonymous). */
import { ANONYMOUS_USER, anonymousUsers } from '../../engines/probe/access.js';
import { PROBED_ENDPOINT, probedRef, probedSource, readProbedEndpoint } from '../../engines/probe/objects.js';
import { defineCheck } from '../../framework/define.js';

export const exposedKubeletAnonymousAuth = defineCheck({
  id: 'exposed-kubelet-anonymous-auth',
  meta: {
    title: 'kubelet accepts anonymous requests',
    description:
      'The kubelet refused a request without credentials with 403 Forbidden naming system:anonymous instead of 401 Unauthorized: anonymous authentication is on, and only authorization (the Webhook mode asking the API server) stands between the network and exec into every container. One RBAC grant of nodes/proxy to system:anonymous or system:unauthenticated opens it.',
    severity: 'medium',
    category: 'exposure',
    kinds: [PROBED_ENDPOINT],
    messages: { anonymous: '{{endpoint}}: the kubelet authenticates anonymous clients as {{user}}; only authorization refuses them' },
    remediation: 'Set authentication.anonymous.enabled: false in the kubelet configuration (--anonymous-auth=false), keeping authentication.webhook.enabled: true and authorization.mode: Webhook.',
    references: { cis: ['4.2.1'], mitre: ['T1133'], urls: ['https://kubernetes.io/docs/reference/access-authn-authz/kubelet-authn-authz/'] },
    // Runs in `kspect probe`, which observes the network; a manifest scan has nothing for it.
    recommended: false,
  },
  create(ctx) {
    return (obj) => {
      const v = readProbedEndpoint(obj);
      if (v?.state !== 'open' || v.service !== 'kubelet') return;
      const users = anonymousUsers(v);
      if (!users.includes(ANONYMOUS_USER)) return;
      const refusal = v.answers.find((a) => a.status === 403 && a.shape === 'kubelet-forbidden');
      ctx.report({ messageId: 'anonymous', data: { endpoint: v.endpoint, user: ANONYMOUS_USER }, object: obj, resource: probedRef(v), source: probedSource(v), path: refusal?.path ?? '/healthz', ...(refusal?.detail !== undefined ? { evidence: `GET ${refusal.path} → 403 (${refusal.detail})` } : {}) });
    };
  },
});
