/**
 * ingress-nginx-snippets: raw nginx configuration in Ingress annotations, and controllers that accept it. A snippet
 * runs inside the controller, which can read every Secret of the cluster (CVE-2021-25742).
 */
import { getArray, getObject, getString, type K8sObject } from '../../model/object.js';
import { joinPath } from '../../model/path.js';
import { containersOf, podSpecOf } from '../../model/podspec.js';
import type { Inventory } from '../../model/inventory.js';
import { defineCheck } from '../../framework/define.js';

const PREFIX = 'nginx.ingress.kubernetes.io/';
const ALLOW_KEY = 'allow-snippet-annotations';

/** ConfigMaps (`namespace/name`) that ingress-nginx controllers of the input read (`--configmap=NS/NAME`). */
function controllerConfigMaps(inventory: Inventory): Set<string> {
  const out = new Set<string>();
  for (const obj of inventory.ofKinds(['Deployment', 'DaemonSet', 'StatefulSet', 'Pod'])) {
    const view = podSpecOf(obj);
    if (!view) continue;
    const ns = obj.metadata.namespace ?? 'default';
    for (const c of containersOf(view))
      for (const a of getArray(c.container, 'args')) {
        if (typeof a !== 'string' || !a.startsWith('--configmap=')) continue;
        const ref = a.slice('--configmap='.length).replace('$(POD_NAMESPACE)', ns);
        out.add(ref.includes('/') ? ref : `${ns}/${ref}`);
      }
  }
  return out;
}

function isIngressNginxConfig(obj: K8sObject, referenced: Set<string>): boolean {
  return referenced.has(`${obj.metadata.namespace ?? 'default'}/${obj.metadata.name}`) || obj.metadata.labels['app.kubernetes.io/name'] === 'ingress-nginx';
}

export const ingressNginxSnippets = defineCheck({
  id: 'ingress-nginx-snippets',
  meta: {
    title: 'ingress-nginx configuration snippets',
    description:
      'ingress-nginx copies `*-snippet` annotations of an Ingress verbatim into the controller\'s nginx configuration. Whoever may create or edit an Ingress in any namespace then runs configuration — Lua included — inside the controller, whose service account reads every Secret of the cluster (CVE-2021-25742). Controllers since v1.9 refuse snippets unless `allow-snippet-annotations` is "true" in their ConfigMap.',
    severity: 'high',
    category: 'exposure',
    reads: ['Deployment', 'DaemonSet', 'StatefulSet', 'Pod'],
    kinds: ['Ingress', 'ConfigMap'],
    messages: {
      snippet: 'Ingress injects raw nginx configuration through annotation "{{key}}" (runs inside the controller, which reads every Secret)',
      allowed: 'ingress-nginx ConfigMap sets {{allowKey}}: "true": every Ingress author can inject nginx configuration into the controller',
    },
    remediation:
      'Remove `*-snippet` annotations (use the dedicated annotations, or a Gateway API route); keep `allow-snippet-annotations: "false"` (the default since controller v1.9) and `annotations-risk-level` below Critical; upgrade the controller.',
    references: {
      mitre: ['T1552.007', 'T1068'],
      urls: ['https://github.com/kubernetes/ingress-nginx/issues/7837', 'https://kubernetes.github.io/ingress-nginx/user-guide/nginx-configuration/configmap/#allow-snippet-annotations'],
    },
    recommended: true,
  },
  create(ctx) {
    let referenced: Set<string> | undefined;
    return (obj) => {
      if (obj.kind === 'Ingress') {
        if (!obj.apiVersion.startsWith('networking.k8s.io/') && !obj.apiVersion.startsWith('extensions/')) return;
        for (const [key, value] of Object.entries(obj.metadata.annotations)) {
          if (!key.startsWith(PREFIX) || !key.endsWith('-snippet') || value.trim() === '') continue;
          ctx.report({ messageId: 'snippet', object: obj, path: joinPath('metadata', 'annotations', key), data: { key } });
        }
        return;
      }
      if (obj.apiVersion !== 'v1') return;
      const value = getString(getObject(obj.raw, 'data'), ALLOW_KEY);
      if (value?.trim().toLowerCase() !== 'true') return;
      referenced ??= controllerConfigMaps(ctx.inventory);
      if (!isIngressNginxConfig(obj, referenced)) return;
      ctx.report({ messageId: 'allowed', object: obj, path: joinPath('data', ALLOW_KEY), data: { allowKey: ALLOW_KEY } });
    };
  },
});
