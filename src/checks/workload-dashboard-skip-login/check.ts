/**
 * workload-dashboard-skip-login: the Kubernetes Dashboard started with a login that can be skipped (or served over
 * plain HTTP), graded by whether a NodePort or LoadBalancer Service exposes it.
 */
import { getArray, getObject, getString, type K8sObject } from '../../model/object.js';
import { parseImageRef } from '../../model/image.js';
import { containersOf, POD_SPEC_KINDS, type PodSpecView } from '../../model/podspec.js';
import { selectorMatches, parseSelector } from '../../engines/netpol/selector.js';
import { defineCheck } from '../../framework/define.js';
import { podSpecOrNotEvaluated } from '../../framework/field-findings.js';

const DASHBOARD_PATHS = ['kubernetesui/dashboard', 'kubernetesui/dashboard-web', 'kubernetesui/dashboard-api', 'kubernetes-dashboard-amd64', 'google_containers/kubernetes-dashboard-amd64'];

function isDashboard(image: string): boolean {
  const r = parseImageRef(image);
  return r.ok && DASHBOARD_PATHS.some((p) => r.value.path === p || r.value.path.endsWith(`/${p}`));
}

/** An exposing Service (NodePort or LoadBalancer) of the same namespace whose selector matches the pod labels. */
function exposingService(services: readonly K8sObject[], obj: K8sObject, view: PodSpecView): K8sObject | undefined {
  const labels: Record<string, string> = {};
  for (const [k, v] of Object.entries(getObject(view.metadata, 'labels') ?? {})) if (typeof v === 'string') labels[k] = v;
  return services.find((s) => {
    if ((s.metadata.namespace ?? 'default') !== (obj.metadata.namespace ?? 'default')) return false;
    const spec = getObject(s.raw, 'spec');
    const type = getString(spec, 'type');
    if (type !== 'NodePort' && type !== 'LoadBalancer') return false;
    const sel = getObject(spec, 'selector');
    if (!sel || Object.keys(sel).length === 0) return false;
    return selectorMatches(parseSelector({ matchLabels: sel }, 'spec.selector').selector, labels);
  });
}

export const workloadDashboardSkipLogin = defineCheck({
  id: 'workload-dashboard-skip-login',
  meta: {
    title: 'Kubernetes Dashboard login can be skipped',
    description:
      'Started with `--enable-skip-login`, the Kubernetes Dashboard offers a "Skip" button that signs the visitor in as the Dashboard\'s own service account; installs that bind that account to cluster-admin (a common shortcut, the Tesla cryptojacking of 2018) hand the cluster to whoever opens the page. `--enable-insecure-login` accepts logins over plain HTTP, where tokens can be sniffed.',
    severity: 'high',
    category: 'exposure',
    reads: ['Service'],
    kinds: POD_SPEC_KINDS,
    messages: {
      skip: 'Dashboard container "{{container}}" runs with --enable-skip-login: visitors act as its service account{{exposed}}',
      insecure: 'Dashboard container "{{container}}" runs with {{flag}}: logins and tokens travel over plain HTTP{{exposed}}',
    },
    remediation: 'Remove `--enable-skip-login` and `--enable-insecure-login`; keep the Dashboard behind `kubectl proxy` or an authenticating proxy, never a NodePort or LoadBalancer Service, and give its service account no more than the default minimal role.',
    references: {
      mitre: ['T1133', 'T1078'],
      urls: ['https://github.com/kubernetes/dashboard/blob/master/docs/common/arguments.md', 'https://github.com/kubernetes/dashboard/blob/master/docs/user/access-control/README.md'],
    },
    recommended: true,
  },
  create(ctx) {
    return (obj) => {
      const view = podSpecOrNotEvaluated(ctx, obj);
      if (!view) return;
      for (const c of containersOf(view)) {
        if (!isDashboard(getString(c.container, 'image') ?? '')) continue;
        for (const list of ['command', 'args'] as const)
          getArray(c.container, list).forEach((a, i) => {
            if (typeof a !== 'string') return;
            const eq = a.indexOf('=');
            const flag = eq < 0 ? a : a.slice(0, eq);
            if (eq >= 0 && a.slice(eq + 1) !== 'true') return;
            if (flag !== '--enable-skip-login' && flag !== '--enable-insecure-login') return;
            const svc = exposingService(ctx.inventory.ofKind('Service'), obj, view);
            const exposed = svc ? `, and Service ${svc.metadata.namespace ?? 'default'}/${svc.metadata.name} exposes it outside the cluster` : '';
            const path = `${c.path}.${list}[${i}]`;
            if (flag === '--enable-skip-login') ctx.report({ messageId: 'skip', object: obj, container: c.name, path, severity: svc ? 'critical' : 'high', data: { container: c.name, exposed } });
            else ctx.report({ messageId: 'insecure', object: obj, container: c.name, path, severity: svc ? 'high' : 'medium', data: { container: c.name, flag, exposed } });
          });
      }
    };
  },
});
