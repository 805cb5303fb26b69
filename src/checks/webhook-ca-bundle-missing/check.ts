/**
 * webhook-ca-bundle-missing: admission webhooks whose server certificate kube-apiserver checks against no CA of their
 * own — unless a CA injector or the install's certificate Job fills the bundle in.
 */
import { getArray, getObject, getString, type K8sObject } from '../../model/object.js';
import { joinPath } from '../../model/path.js';
import { containersOf, podSpecOf } from '../../model/podspec.js';
import type { Inventory } from '../../model/inventory.js';
import { defineCheck } from '../../framework/define.js';

/** Annotations by which a controller writes the caBundle (cert-manager's cainjector, OpenShift's service CA). */
const INJECTORS = [
  'cert-manager.io/inject-ca-from',
  'cert-manager.io/inject-ca-from-secret',
  'cert-manager.io/inject-apiserver-ca',
  // cert-manager before v0.11 used the certmanager.k8s.io group.
  'certmanager.k8s.io/inject-ca-from',
  'certmanager.k8s.io/inject-ca-from-secret',
  'certmanager.k8s.io/inject-apiserver-ca',
  'service.beta.openshift.io/inject-cabundle',
];

/** Names of webhook configurations a Job or Pod of the input patches (kube-webhook-certgen `patch --webhook-name=N`). */
function patchedByInput(inventory: Inventory): Set<string> {
  const names = new Set<string>();
  for (const obj of inventory.ofKinds(['Job', 'CronJob', 'Pod', 'Deployment'])) {
    const view = podSpecOf(obj);
    if (!view) continue;
    for (const c of containersOf(view))
      for (const a of [...getArray(c.container, 'args'), ...getArray(c.container, 'command')]) {
        if (typeof a !== 'string') continue;
        const m = /^--webhook-name=(\S+)$/.exec(a);
        if (m?.[1] !== undefined) names.add(m[1]);
      }
  }
  return names;
}

export const webhookCaBundleMissing = defineCheck({
  id: 'webhook-ca-bundle-missing',
  meta: {
    title: 'Admission webhook without a CA bundle',
    description:
      'Without `clientConfig.caBundle`, kube-apiserver verifies the webhook server against its system trust roots: any certificate a public CA issued for the URL\'s host is accepted, so whoever obtains one (or controls DNS for it) sees every admission request — objects with their Secrets — and decides them. A webhook reached through a Service usually cannot be verified at all until something writes the bundle, and its failurePolicy then decides alone.',
    severity: 'low',
    category: 'control-plane',
    reads: ['Job', 'CronJob', 'Pod', 'Deployment'],
    kinds: ['ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration'],
    messages: { missing: 'webhook "{{webhook}}" ({{target}}) has no caBundle and nothing in the input injects one: its server is verified against system trust roots' },
    remediation:
      'Set `clientConfig.caBundle` to the CA of the webhook\'s serving certificate, or let cert-manager\'s CA injector fill it (`cert-manager.io/inject-ca-from` on the configuration).',
    references: {
      urls: ['https://kubernetes.io/docs/reference/access-authn-authz/extensible-admission-controllers/#contacting-the-webhook'],
    },
    recommended: true,
  },
  create(ctx) {
    let patched: Set<string> | undefined;
    return (obj: K8sObject) => {
      if (!obj.apiVersion.startsWith('admissionregistration.k8s.io/')) return;
      if (INJECTORS.some((a) => obj.metadata.annotations[a] !== undefined)) return;
      patched ??= patchedByInput(ctx.inventory);
      if (patched.has(obj.metadata.name)) return;
      getArray(obj.raw, 'webhooks').forEach((w, i) => {
        const cc = getObject(w, 'clientConfig');
        if ((getString(cc, 'caBundle') ?? '') !== '') return;
        const svc = getObject(cc, 'service');
        const url = getString(cc, 'url');
        const target = svc ? `Service ${getString(svc, 'namespace') ?? '?'}/${getString(svc, 'name') ?? '?'}` : url !== undefined ? `URL host ${hostOf(url)}` : 'no target';
        ctx.report({ messageId: 'missing', object: obj, path: joinPath('webhooks', i, 'clientConfig'), data: { webhook: getString(w, 'name') ?? `#${i}`, target } });
      });
    };
  },
});

/** The host of a URL, without credentials or path (never printed whole: it may carry a token). */
function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return '(unparseable URL)';
  }
}
