/** webhook-fail-open: security webhooks with `failurePolicy: Ignore` — whoever makes them unavailable bypasses them. */
import { getArray, getString, type JsonValue } from '../../model/object.js';
import { joinPath } from '../../model/path.js';
import { defineCheck } from '../../framework/define.js';

/** Policy engines whose webhooks enforce security policy, by a word of the configuration or webhook name. */
const POLICY_ENGINES = ['gatekeeper', 'kyverno', 'kubewarden', 'opa', 'polaris', 'kspect', 'jspolicy', 'datree', 'kubescape', 'pod-security', 'psa', 'image-policy', 'sigstore', 'connaisseur', 'ratify', 'falco'];
/** Resources whose admission decides what runs — pods, their controllers, RBAC, namespaces — by API group. */
const GUARDED: Readonly<Record<string, readonly string[]>> = {
  '': ['pods', 'pods/exec', 'pods/attach', 'pods/ephemeralcontainers', 'replicationcontrollers', 'namespaces'],
  apps: ['deployments', 'daemonsets', 'statefulsets', 'replicasets'],
  batch: ['jobs', 'cronjobs'],
  'rbac.authorization.k8s.io': ['roles', 'rolebindings', 'clusterroles', 'clusterrolebindings'],
};

function words(name: string): string[] {
  return name.toLowerCase().split(/[^a-z0-9]+/);
}

/** The guarded resources a webhook's rules cover (`*` in groups or resources covers them all). */
function guardedResources(webhook: JsonValue): string[] {
  const out = new Set<string>();
  for (const r of getArray(webhook, 'rules')) {
    const groups = getArray(r, 'apiGroups').filter((g): g is string => typeof g === 'string');
    const resources = getArray(r, 'resources').filter((x): x is string => typeof x === 'string');
    for (const [group, list] of Object.entries(GUARDED)) {
      if (!groups.includes('*') && !groups.includes(group)) continue;
      for (const res of list) if (resources.includes(res) || resources.includes('*') || resources.includes('*/*') || (res.startsWith('pods/') && resources.includes('pods/*'))) out.add(res);
    }
  }
  return [...out];
}

export const webhookFailOpen = defineCheck({
  id: 'webhook-fail-open',
  meta: {
    title: 'Security webhook fails open',
    description:
      'A webhook with `failurePolicy: Ignore` admits every request it does not answer in time. When the webhook enforces security policy (a policy engine, or a validating webhook over pods, workloads or RBAC), anyone who can slow it down or make it unavailable — flood it, evict its pods, break its certificate, cut its network — creates what it was meant to refuse.',
    severity: 'medium',
    category: 'control-plane',
    kinds: ['ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration'],
    messages: { open: 'webhook "{{webhook}}" {{why}} and admits every request it does not answer (failurePolicy: {{policy}})' },
    remediation:
      'Set `failurePolicy: Fail` on security webhooks, run them highly available (replicas, PodDisruptionBudget, priority class), and exempt only the namespaces they need to start (`namespaceSelector`), not the failure path.',
    references: {
      mitre: ['T1562.001'],
      urls: ['https://kubernetes.io/docs/reference/access-authn-authz/extensible-admission-controllers/#failure-policy'],
    },
    recommended: true,
  },
  create(ctx) {
    return (obj) => {
      const version = obj.apiVersion;
      if (!version.startsWith('admissionregistration.k8s.io/')) return;
      // admissionregistration.k8s.io/v1 defaults failurePolicy to Fail; v1beta1 defaulted it to Ignore.
      const defaultPolicy = version.endsWith('/v1beta1') ? 'Ignore' : 'Fail';
      const engine = POLICY_ENGINES.find((e) => words(obj.metadata.name).includes(e));
      getArray(obj.raw, 'webhooks').forEach((w, i) => {
        const explicit = getString(w, 'failurePolicy');
        const policy = explicit ?? defaultPolicy;
        if (policy !== 'Ignore') return;
        const byName = engine ?? POLICY_ENGINES.find((e) => words(getString(w, 'name') ?? '').includes(e));
        const resources = obj.kind === 'ValidatingWebhookConfiguration' ? guardedResources(w) : [];
        if (byName === undefined && resources.length === 0) return;
        const shown = resources.length > 4 ? `${resources.slice(0, 4).join(', ')}, …` : resources.join(', ');
        const why = byName !== undefined ? `belongs to a policy engine (${byName})` : `validates ${shown}`;
        ctx.report({
          messageId: 'open',
          object: obj,
          path: explicit !== undefined ? joinPath('webhooks', i, 'failurePolicy') : joinPath('webhooks', i),
          data: { webhook: getString(w, 'name') ?? `#${i}`, why, policy: explicit ?? `${policy}, the ${version} default` },
        });
      });
    };
  },
});
