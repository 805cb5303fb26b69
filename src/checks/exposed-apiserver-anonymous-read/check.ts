/**
 * exposed-apiserver-anonymous-read: an API server lists namespaces, pods or Secrets to clients without credentials.
 * With RBAC input (manifests or --cluster), the finding names the bindings that grant it, as `kspect rbac who-can`.
 */
import type { Severity } from '../../core/severity.js';
import { accessTo, ANONYMOUS_USER, evidenceOf, UNAUTHENTICATED_GROUP } from '../../engines/probe/access.js';
import { API_READS } from '../../engines/probe/catalog.js';
import { PROBED_ENDPOINT, probedRef, probedSource, readProbedEndpoint } from '../../engines/probe/objects.js';
import { rbacEngine } from '../../engines/rbac/index.js';
import { defineCheck } from '../../framework/define.js';

const SEVERITY: Readonly<Record<string, Severity>> = { secrets: 'critical', pods: 'high', namespaces: 'medium' };

export const exposedApiserverAnonymousRead = defineCheck({
  id: 'exposed-apiserver-anonymous-read',
  meta: {
    title: 'API server lists resources to anonymous clients',
    description:
      'A list request without credentials succeeded: anonymous authentication is on and RBAC (or another authorizer) grants list to system:anonymous or system:unauthenticated. Listing Secrets hands out every credential of the cluster; listing pods hands out their specs (images, environment, service accounts); listing namespaces maps the cluster. kspect asks for metadata only, so it never reads the data itself.',
    severity: 'critical',
    category: 'exposure',
    reads: ['*'],
    kinds: [PROBED_ENDPOINT],
    messages: {
      read: '{{endpoint}}: anonymous clients can list {{resource}}{{grants}}',
    },
    remediation:
      'Remove the bindings that grant list (or get, watch, *) to system:anonymous or system:unauthenticated (`kspect rbac who-can list secrets` shows them), and disable anonymous authentication (--anonymous-auth=false) unless health checks need it.',
    references: { cis: ['1.2.1', '5.1.1'], mitre: ['T1552.007', 'T1613'], urls: ['https://kubernetes.io/docs/reference/access-authn-authz/authentication/#anonymous-requests'] },
    // Runs in `kspect probe`, which observes the network; a manifest scan has nothing for it.
    recommended: false,
  },
  create(ctx) {
    const hasRbac = ctx.inventory.ofKinds(['ClusterRoleBinding', 'RoleBinding']).length > 0;
    return (obj) => {
      const v = readProbedEndpoint(obj);
      if (v?.state !== 'open' || v.service !== 'kube-apiserver') return;
      for (const r of API_READS) {
        const a = accessTo(v, r.path, ['k8s-list']);
        if (a.verdict !== 'readable') continue;
        let grants = '';
        let evidence = evidenceOf(a.answer);
        if (hasRbac) {
          const d = ctx.engine(rbacEngine).authorize({ name: ANONYMOUS_USER, groups: [UNAUTHENTICATED_GROUP] }, { kind: 'resource', verb: 'list', apiGroup: '', resource: r.resource });
          const via = [...new Set(d.grants.map((g) => `${g.binding.display} → ${g.role.display}`))];
          grants = via.length > 0 ? `, granted by ${via.join(', ')}` : ', which no binding of the RBAC input grants (another authorizer allows it, or the input is incomplete)';
          evidence += via.length > 0 ? `; RBAC: ${via.join('; ')}` : '; RBAC: no grant in the input';
        }
        ctx.report({ messageId: 'read', data: { endpoint: v.endpoint, resource: r.resource, grants }, object: obj, resource: probedRef(v), source: probedSource(v), path: r.path, severity: SEVERITY[r.resource] ?? 'high', evidence });
      }
    };
  },
});
