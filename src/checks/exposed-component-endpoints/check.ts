/** exposed-component-endpoints: a control-plane component or kube-proxy serves metrics, configuration or profiles without credentials. */
import type { Shape } from '../../engines/probe/answers.js';
import type { Severity } from '../../core/severity.js';
import { accessTo, evidenceOf } from '../../engines/probe/access.js';
import type { ServiceId } from '../../engines/probe/catalog.js';
import { PROBED_ENDPOINT, probedRef, probedSource, readProbedEndpoint, serviceName } from '../../engines/probe/objects.js';
import { defineCheck } from '../../framework/define.js';

const COMPONENTS: ReadonlySet<ServiceId> = new Set(['kube-apiserver', 'controller-manager', 'scheduler', 'kube-component', 'kube-proxy']);

const PATHS: readonly { readonly path: string; readonly shapes: readonly Shape[]; readonly severity: Severity; readonly what: string }[] = [
  { path: '/debug/pprof/', shapes: ['pprof-index'], severity: 'high', what: 'Go profiling (CPU, heap, goroutine dumps)' },
  { path: '/configz', shapes: ['configz', 'json'], severity: 'medium', what: 'its running configuration' },
  { path: '/metrics', shapes: ['metrics'], severity: 'medium', what: 'its metrics' },
  { path: '/healthz', shapes: ['healthz-ok', 'kube-proxy-healthz'], severity: 'info', what: 'its health check (open by design)' },
];

export const exposedComponentEndpoints = defineCheck({
  id: 'exposed-component-endpoints',
  meta: {
    title: 'Component serves metrics, configuration or profiles without credentials',
    description:
      'kube-controller-manager (10257), kube-scheduler (10259), kube-apiserver and kube-proxy (10249, 10256) served an endpoint to a client without credentials. Metrics map the cluster (objects, nodes, request patterns), /configz discloses the running configuration and /debug/pprof exposes memory and goroutine dumps. Only /healthz, /livez and /readyz are meant to be open (--authorization-always-allow-paths); they are reported at info.',
    severity: 'medium',
    category: 'exposure',
    kinds: [PROBED_ENDPOINT],
    messages: { open: '{{endpoint}}: {{component}} serves {{what}} ({{path}}) without credentials' },
    remediation:
      'Bind controller-manager and scheduler to 127.0.0.1 (--bind-address), keep --authorization-always-allow-paths to health paths, set --profiling=false, and bind kube-proxy metrics to 127.0.0.1 (metricsBindAddress).',
    references: { cis: ['1.3.2', '1.3.7', '1.4.1', '1.4.2'], mitre: ['T1613'], urls: ['https://kubernetes.io/docs/reference/command-line-tools-reference/kube-controller-manager/'] },
    // Runs in `kspect probe`, which observes the network; a manifest scan has nothing for it.
    recommended: false,
  },
  create(ctx) {
    return (obj) => {
      const v = readProbedEndpoint(obj);
      if (v?.state !== 'open' || v.service === undefined || !COMPONENTS.has(v.service)) return;
      for (const p of PATHS) {
        // The API server's /healthz is meant for anyone; its exposure is exposed-apiserver-anonymous-auth's.
        if (p.path === '/healthz' && v.service === 'kube-apiserver') continue;
        const a = accessTo(v, p.path, p.shapes);
        if (a.verdict !== 'readable') continue;
        ctx.report({ messageId: 'open', data: { endpoint: v.endpoint, component: serviceName(v), what: p.what, path: p.path }, object: obj, resource: probedRef(v), source: probedSource(v), path: p.path, severity: p.severity, evidence: evidenceOf(a.answer) });
      }
    };
  },
});
