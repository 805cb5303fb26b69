/**
 * `kspect webhook manifests`: what a cluster needs to run the webhook — two ValidatingWebhookConfigurations (an
 * enforcing one that fails closed with a short timeout, an advisory one for warn and audit that fails open), and,
 * for a webhook served from the cluster, its Namespace, ServiceAccount, least-privilege RBAC (get/list/watch
 * namespaces, nothing else), Deployment and Service. Pure: objects in, the command prints them as YAML.
 */
import { trimEndChar } from '../../core/text.js';
import type { JsonObject } from '../../model/object.js';

export interface ManifestOptions {
  /** PEM of the CA that signed the serving certificate. */
  readonly caBundle: string;
  /** Where the API server reaches the webhook: a URL (`https://host:port`, no query) … */
  readonly url?: string;
  /** … or a Service in the cluster. */
  readonly service?: { readonly namespace: string; readonly name: string; readonly port: number };
  /** The namespace kspect runs in (excluded from judging, with kube-system). */
  readonly namespace: string;
  readonly image: string;
  /** Secret with tls.crt and tls.key for the Deployment. */
  readonly tlsSecret: string;
  /** API server timeout of the enforcing webhook (seconds, 1–30). */
  readonly timeoutSeconds: number;
  /** Arguments of `kspect webhook serve` in the Deployment besides the certificate and listen address. */
  readonly serveArgs: readonly string[];
}

const RULES: readonly { readonly group: string; readonly resources: readonly string[]; readonly enforced: boolean }[] = [
  { group: '', resources: ['pods', 'pods/ephemeralcontainers', 'services'], enforced: true },
  { group: '', resources: ['podtemplates', 'replicationcontrollers'], enforced: false },
  { group: 'apps', resources: ['deployments', 'statefulsets', 'daemonsets', 'replicasets'], enforced: false },
  { group: 'batch', resources: ['jobs', 'cronjobs'], enforced: false },
  { group: 'rbac.authorization.k8s.io', resources: ['roles', 'clusterroles', 'rolebindings', 'clusterrolebindings'], enforced: true },
  { group: 'networking.k8s.io', resources: ['ingresses', 'networkpolicies'], enforced: true },
  { group: 'admissionregistration.k8s.io', resources: ['validatingwebhookconfigurations', 'mutatingwebhookconfigurations'], enforced: true },
];

/** CEL conditions the API server evaluates before calling: node and lease traffic never reaches kspect. */
export const MATCH_CONDITIONS: readonly JsonObject[] = [
  { name: 'not-nodes', expression: "!request.userInfo.username.startsWith('system:node:')" },
  { name: 'not-leases', expression: "request.resource.resource != 'leases'" },
];

function rules(enforced: boolean): JsonObject[] {
  return RULES.filter((r) => !enforced || r.enforced).map((r) => ({ apiGroups: [r.group], apiVersions: ['*'], operations: ['CREATE', 'UPDATE'], resources: [...r.resources], scope: '*' }));
}

function clientConfig(o: ManifestOptions, path: string): JsonObject {
  const caBundle = Buffer.from(o.caBundle).toString('base64');
  if (o.url !== undefined) return { url: `${trimEndChar(o.url, '/')}${path}`, caBundle };
  const s = o.service ?? { namespace: o.namespace, name: 'kspect-webhook', port: 443 };
  return { service: { namespace: s.namespace, name: s.name, port: s.port, path }, caBundle };
}

function webhook(o: ManifestOptions, mode: 'enforce' | 'warn' | 'audit'): JsonObject {
  const enforce = mode === 'enforce';
  return {
    name: `${mode}.kspect.dev`,
    admissionReviewVersions: ['v1'],
    clientConfig: clientConfig(o, `/validate/${mode}`),
    failurePolicy: enforce ? 'Fail' : 'Ignore',
    matchPolicy: 'Equivalent',
    sideEffects: 'None',
    timeoutSeconds: enforce ? o.timeoutSeconds : Math.min(o.timeoutSeconds, 5),
    namespaceSelector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: [...new Set([o.namespace, 'kube-system'])] }] },
    matchConditions: [...MATCH_CONDITIONS],
    rules: rules(enforce),
  };
}

const LABELS = { 'app.kubernetes.io/name': 'kspect', 'app.kubernetes.io/component': 'webhook' };

/** The webhook configurations alone (a webhook served outside the cluster needs nothing else). */
export function webhookConfigurations(o: ManifestOptions): JsonObject[] {
  return [
    { apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingWebhookConfiguration', metadata: { name: 'kspect-enforce', labels: LABELS }, webhooks: [webhook(o, 'enforce')] },
    { apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingWebhookConfiguration', metadata: { name: 'kspect-advisory', labels: LABELS }, webhooks: [webhook(o, 'warn'), webhook(o, 'audit')] },
  ];
}

/** Everything: the workload that serves the webhook in the cluster, then the configurations. */
export function webhookManifests(o: ManifestOptions): JsonObject[] {
  const ns = o.namespace;
  const name = o.service?.name ?? 'kspect-webhook';
  const inCluster: JsonObject[] = [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns, labels: { 'pod-security.kubernetes.io/enforce': 'restricted' } } },
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace: ns, labels: LABELS } },
    // Read namespaces (their kspect.dev/* and Pod Security labels): nothing else, and never a write.
    { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'kspect-webhook', labels: LABELS }, rules: [{ apiGroups: [''], resources: ['namespaces'], verbs: ['get', 'list', 'watch'] }] },
    { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'kspect-webhook', labels: LABELS }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'kspect-webhook' }, subjects: [{ kind: 'ServiceAccount', name, namespace: ns }] },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name, namespace: ns, labels: LABELS },
      spec: {
        replicas: 2,
        selector: { matchLabels: LABELS },
        template: {
          metadata: { labels: LABELS },
          spec: {
            serviceAccountName: name,
            securityContext: { runAsNonRoot: true, runAsUser: 65532, runAsGroup: 65532, seccompProfile: { type: 'RuntimeDefault' } },
            containers: [
              {
                name: 'webhook',
                image: o.image,
                args: ['webhook', 'serve', '--tls-cert', '/tls/tls.crt', '--tls-key', '/tls/tls.key', '--listen', '0.0.0.0:8443', ...o.serveArgs],
                ports: [{ name: 'https', containerPort: 8443 }],
                readinessProbe: { httpGet: { path: '/readyz', port: 8443, scheme: 'HTTPS' }, periodSeconds: 5 },
                livenessProbe: { httpGet: { path: '/healthz', port: 8443, scheme: 'HTTPS' }, periodSeconds: 10 },
                resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '1', memory: '512Mi' } },
                securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
                volumeMounts: [{ name: 'tls', mountPath: '/tls', readOnly: true }],
              },
            ],
            volumes: [{ name: 'tls', secret: { secretName: o.tlsSecret } }],
          },
        },
      },
    },
    { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: ns, labels: LABELS }, spec: { selector: LABELS, ports: [{ name: 'https', port: o.service?.port ?? 443, targetPort: 8443 }] } },
  ];
  return [...(o.url === undefined ? inCluster : []), ...webhookConfigurations(o)];
}
