/**
 * cluster-version-eol: the Kubernetes version the input targets (`--k8s-version`, or the scanned cluster's /version)
 * is past the end of its upstream patch support.
 */
import { defineCheck } from '../../framework/define.js';

/** End of upstream patch support, by minor version (kubernetes.io/releases/patch-releases). Earlier minors: long past. */
export const END_OF_LIFE: Readonly<Record<number, string>> = {
  25: '2023-10-28',
  26: '2024-02-28',
  27: '2024-06-28',
  28: '2024-10-28',
  29: '2025-02-28',
  30: '2025-06-28',
  31: '2025-10-28',
  32: '2026-02-28',
  33: '2026-06-28',
  34: '2026-10-27',
  35: '2027-02-28',
};
const OLDEST_LISTED = 25;

/** The end-of-life day of a minor version, or undefined when it is newer than the table. */
export function endOfLife(minor: number): string | undefined {
  if (minor < OLDEST_LISTED) return 'before 2023-10-28';
  return END_OF_LIFE[minor];
}

export const clusterVersionEol = defineCheck({
  id: 'cluster-version-eol',
  meta: {
    title: 'Kubernetes version past end of life',
    description:
      'The Kubernetes project patches each minor version for about 14 months. After that, vulnerabilities found in kube-apiserver, the kubelet, kube-proxy or the controllers are fixed only in newer versions: a cluster on an end-of-life version keeps every one of them (unless a vendor still backports fixes for it).',
    severity: 'medium',
    category: 'control-plane',
    kinds: [],
    messages: { eol: 'Kubernetes {{version}} reached the end of upstream patch support on {{date}}: security fixes are released only for newer versions' },
    remediation: 'Upgrade to a supported minor version (one minor at a time for the control plane; kubelets at most three minors behind), or confirm that your distribution still backports security fixes to this one.',
    references: {
      mitre: ['T1190', 'T1068'],
      urls: ['https://kubernetes.io/releases/', 'https://kubernetes.io/releases/patch-releases/'],
    },
    recommended: true,
  },
  create(ctx) {
    return {
      end() {
        const v = ctx.settings.k8sVersion;
        if (v === undefined) return;
        const minor = Number(/^v?1\.(\d+)/.exec(v)?.[1]);
        if (!Number.isFinite(minor)) return;
        ctx.judged();
        const date = endOfLife(minor);
        if (date === undefined) return;
        const day = /^\d{4}-\d{2}-\d{2}$/.test(date) ? new Date(`${date}T23:59:59Z`) : undefined;
        if (day && day.getTime() >= ctx.settings.now.getTime()) return;
        ctx.report({ messageId: 'eol', resource: { apiVersion: 'kspect.dev/v1alpha1', kind: 'KubernetesVersion', name: `v1.${minor}` }, data: { version: `1.${minor}`, date } });
      },
    };
  },
});
