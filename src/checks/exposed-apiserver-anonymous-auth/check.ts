/** exposed-apiserver-anonymous-auth: the API server authenticates requests without credentials as system:anonymous. */
import { accessTo, ANONYMOUS_USER, anonymousUsers, evidenceOf } from '../../engines/probe/access.js';
import { PROBED_ENDPOINT, probedRef, probedSource, readProbedEndpoint } from '../../engines/probe/objects.js';
import { defineCheck } from '../../framework/define.js';

export const exposedApiserverAnonymousAuth = defineCheck({
  id: 'exposed-apiserver-anonymous-auth',
  meta: {
    title: 'API server accepts anonymous requests',
    description:
      'Requests without credentials are authenticated as system:anonymous (group system:unauthenticated) rather than refused with 401. Kubernetes grants that user only discovery, version and health by default — GET /version answering is normal on kubeadm clusters — but every later RBAC grant to these subjects is then open to the network.',
    severity: 'low',
    category: 'exposure',
    kinds: [PROBED_ENDPOINT],
    messages: { anonymous: '{{endpoint}}: the API server accepts anonymous requests ({{how}})' },
    remediation: 'Set --anonymous-auth=false, or since 1.32 restrict anonymous access to health paths with an AuthenticationConfiguration (anonymous.conditions).',
    references: { cis: ['1.2.1'], mitre: ['T1078.001'], urls: ['https://kubernetes.io/docs/reference/access-authn-authz/authentication/#anonymous-requests'] },
    // Runs in `kspect probe`, which observes the network; a manifest scan has nothing for it.
    recommended: false,
  },
  create(ctx) {
    return (obj) => {
      const v = readProbedEndpoint(obj);
      if (v?.state !== 'open' || v.service !== 'kube-apiserver') return;
      const version = accessTo(v, '/version', ['k8s-version']);
      const named = anonymousUsers(v).includes(ANONYMOUS_USER);
      if (version.verdict !== 'readable' && !named) return;
      const how = version.verdict === 'readable' ? 'GET /version answered without credentials' : '403 refusals name system:anonymous';
      const refusal = v.answers.find((a) => a.status === 403 && a.shape === 'k8s-status');
      const evidence = version.verdict === 'readable' ? evidenceOf(version.answer) : refusal ? evidenceOf(refusal) : undefined;
      ctx.report({ messageId: 'anonymous', data: { endpoint: v.endpoint, how }, object: obj, resource: probedRef(v), source: probedSource(v), path: version.verdict === 'readable' ? '/version' : (refusal?.path ?? '/'), ...(evidence !== undefined ? { evidence } : {}) });
    };
  },
});
