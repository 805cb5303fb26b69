/**
 * ingress-nginx-unsupported: ingress-nginx controllers at versions with known critical vulnerabilities, and any
 * version once the project stopped shipping security fixes (retired in March 2026).
 */
import { getString } from '../../model/object.js';
import { parseImageRef } from '../../model/image.js';
import { containersOf, POD_SPEC_KINDS } from '../../model/podspec.js';
import { defineCheck } from '../../framework/define.js';
import { podSpecOrNotEvaluated } from '../../framework/field-findings.js';

/** Controller image repositories, current and historical. */
const REPOS = new Set(['registry.k8s.io/ingress-nginx/controller', 'registry.k8s.io/ingress-nginx/controller-chroot', 'k8s.gcr.io/ingress-nginx/controller', 'k8s.gcr.io/ingress-nginx/controller-chroot', 'quay.io/kubernetes-ingress-controller/nginx-ingress-controller', 'us.gcr.io/k8s-artifacts-prod/ingress-nginx/controller']);
/** After this day the project ships no more releases or security fixes. */
export const RETIRED = new Date('2026-04-01T00:00:00Z');

/** `v1.12.1` → [1, 12, 1]. */
export function controllerVersion(tag: string | undefined): [number, number, number] | undefined {
  const m = /^v?(\d{1,4})\.(\d{1,4})\.(\d{1,4})/.exec(tag ?? '');
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : undefined;
}

/** Versions without the fixes of CVE-2025-1974 ("IngressNightmare", 9.8) and its siblings: before 1.11.5, and 1.12.0. */
export function isIngressNightmare(v: readonly [number, number, number]): boolean {
  const [major, minor, patch] = v;
  if (major !== 1) return major < 1;
  if (minor < 11) return true;
  if (minor === 11) return patch < 5;
  if (minor === 12) return patch < 1;
  return false;
}

export const ingressNginxUnsupported = defineCheck({
  id: 'ingress-nginx-unsupported',
  meta: {
    title: 'ingress-nginx controller vulnerable or out of support',
    description:
      'ingress-nginx controllers before v1.11.5 and v1.12.1 are open to CVE-2025-1974 ("IngressNightmare", CVSS 9.8): anything on the pod network reaches the admission webhook and runs code in the controller, which reads every Secret of the cluster. Older ones add CVE-2021-25742 and more. The project was retired in March 2026: no version receives security fixes after that.',
    severity: 'medium',
    category: 'exposure',
    kinds: POD_SPEC_KINDS,
    messages: {
      nightmare: 'container "{{container}}" runs ingress-nginx controller {{version}}, open to CVE-2025-1974 (unauthenticated code execution in the controller, every Secret of the cluster)',
      retired: 'container "{{container}}" runs ingress-nginx controller {{version}}; ingress-nginx was retired in March 2026 and receives no security fixes',
    },
    remediation: 'Move to a maintained Ingress or Gateway API controller; until then upgrade to the last release, keep the admission webhook reachable only from the API server (NetworkPolicy), and keep snippet annotations refused.',
    references: {
      mitre: ['T1190', 'T1552.007'],
      urls: ['https://kubernetes.io/blog/2025/03/24/ingress-nginx-cve-2025-1974/', 'https://kubernetes.io/blog/2025/11/11/ingress-nginx-retirement/'],
    },
    recommended: true,
  },
  create(ctx) {
    const retired = ctx.settings.now.getTime() >= RETIRED.getTime();
    return (obj) => {
      const view = podSpecOrNotEvaluated(ctx, obj);
      if (!view) return;
      for (const c of containersOf(view)) {
        const ref = parseImageRef(getString(c.container, 'image') ?? '');
        if (!ref.ok || !REPOS.has(ref.value.name)) continue;
        const v = controllerVersion(ref.value.tag);
        const data = { container: c.name, version: ref.value.tag ?? ref.value.digest ?? '(untagged)' };
        const path = `${c.path}.image`;
        if (v && isIngressNightmare(v)) ctx.report({ messageId: 'nightmare', object: obj, container: c.name, path, severity: 'critical', data });
        else if (retired) ctx.report({ messageId: 'retired', object: obj, container: c.name, path, data });
      }
    };
  },
});
