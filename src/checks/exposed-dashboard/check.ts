/** exposed-dashboard: a Kubernetes Dashboard offers to skip login, or serves cluster data without a token. */
import { accessTo, evidenceOf } from '../../engines/probe/access.js';
import { PROBED_ENDPOINT, probedRef, probedSource, readProbedEndpoint } from '../../engines/probe/objects.js';
import { defineCheck } from '../../framework/define.js';

export const exposedDashboard = defineCheck({
  id: 'exposed-dashboard',
  meta: {
    title: 'Kubernetes Dashboard is open without a token',
    description:
      "A Kubernetes Dashboard answered without a token: it serves cluster data with its own service account's rights (often broad), or offers the login screen's Skip button (--enable-skip-login), which does the same. Open dashboards are how several public cluster compromises began.",
    severity: 'critical',
    category: 'exposure',
    kinds: [PROBED_ENDPOINT],
    messages: {
      data: '{{endpoint}}: the Dashboard serves cluster data without a token ({{detail}})',
      skip: '{{endpoint}}: the Dashboard lets anyone skip login (--enable-skip-login)',
    },
    remediation: "Remove --enable-skip-login, give the Dashboard's service account no more than it needs, require a token, and keep the Dashboard off public networks (kubectl port-forward or an authenticating proxy).",
    references: { mitre: ['T1133', 'T1610'], urls: ['https://github.com/kubernetes/dashboard/blob/master/docs/user/access-control/README.md'] },
    // Runs in `kspect probe`, which observes the network; a manifest scan has nothing for it.
    recommended: false,
  },
  create(ctx) {
    return (obj) => {
      const v = readProbedEndpoint(obj);
      if (v?.state !== 'open' || v.service !== 'dashboard') return;
      const base = { object: obj, resource: probedRef(v), source: probedSource(v) };
      const ns = accessTo(v, '/api/v1/namespace', ['dashboard-namespaces']);
      if (ns.verdict === 'readable' && /^[1-9]/.test(ns.answer.detail ?? '') && !(ns.answer.detail ?? '').includes('error')) ctx.report({ ...base, messageId: 'data', data: { endpoint: v.endpoint, detail: ns.answer.detail ?? '' }, path: '/api/v1/namespace', evidence: evidenceOf(ns.answer) });
      const skip = accessTo(v, '/api/v1/login/skippable', ['dashboard-skippable']);
      if (skip.verdict === 'readable' && skip.answer.detail === 'skippable: true') ctx.report({ ...base, messageId: 'skip', data: { endpoint: v.endpoint }, path: '/api/v1/login/skippable', severity: 'high', evidence: evidenceOf(skip.answer) });
    };
  },
});
