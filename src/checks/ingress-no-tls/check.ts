/**
 * ingress-no-tls: Ingresses that serve some host over plain HTTP — no `spec.tls` at all, or rule
 * hosts that no TLS entry covers (wildcards match one DNS label).
 */
import { getArray, getObject, getString, isObject } from '../../model/object.js';
import { joinPath } from '../../model/path.js';
import { defineCheck } from '../../framework/define.js';

const INGRESS_APIS = new Set(['networking.k8s.io/v1', 'networking.k8s.io/v1beta1', 'extensions/v1beta1']);

/** Annotations by which cloud load balancers terminate TLS without `spec.tls`. */
const EXTERNAL_TLS = ['alb.ingress.kubernetes.io/certificate-arn', 'ingress.gcp.kubernetes.io/pre-shared-cert', 'networking.gke.io/managed-certificates'];

/** Whether a TLS host (possibly `*.example.com`) covers a rule host. */
export function tlsCovers(tlsHost: string, host: string): boolean {
  const t = tlsHost.toLowerCase();
  const h = host.toLowerCase();
  if (t === h) return true;
  if (t.startsWith('*.')) {
    const dot = h.indexOf('.');
    return dot > 0 && !h.startsWith('*.') && h.slice(dot) === t.slice(1);
  }
  return false;
}

export const ingressNoTls = defineCheck({
  id: 'ingress-no-tls',
  meta: {
    title: 'Ingress serves plain HTTP',
    description:
      'Without TLS, everything an Ingress serves — session cookies, credentials, API tokens, personal data — crosses the network in clear text and can be read or altered by anyone on the path.',
    severity: 'medium',
    category: 'exposure',
    kinds: ['Ingress'],
    messages: {
      noTls: 'Ingress has no spec.tls: {{hosts}} served over plain HTTP only',
      hostUncovered: 'host "{{host}}" of rule {{index}} is covered by no spec.tls entry and is served over plain HTTP',
    },
    remediation: 'Add a `spec.tls` entry (hosts and a certificate Secret, e.g. issued by cert-manager) covering every rule host, and redirect HTTP to HTTPS.',
    references: {
      nsa: ['Network separation and hardening: encrypt traffic'],
      urls: ['https://kubernetes.io/docs/concepts/services-networking/ingress/#tls'],
    },
    recommended: true,
  },
  create(ctx) {
    return (obj) => {
      if (!INGRESS_APIS.has(obj.apiVersion)) return;
      if (EXTERNAL_TLS.some((a) => obj.metadata.annotations[a] !== undefined)) return;
      const spec = getObject(obj.raw, 'spec');
      const tls = getArray(spec, 'tls').filter(isObject);
      const rules = getArray(spec, 'rules');
      if (tls.length === 0) {
        const hosts = [...new Set(rules.map((r) => getString(r, 'host')).filter((h): h is string => h !== undefined && h !== ''))];
        const list = hosts.length > 0 ? hosts.map((h) => `"${h}"`).join(', ') : 'every host';
        ctx.report({ messageId: 'noTls', data: { hosts: list }, object: obj, path: 'spec.tls' });
        return;
      }
      const tlsHosts = tls.flatMap((t) => getArray(t, 'hosts')).filter((h): h is string => typeof h === 'string');
      rules.forEach((r, i) => {
        const host = getString(r, 'host');
        // A rule without host answers every host; with a TLS entry present, the controller's TLS serves it.
        if (host === undefined || host === '') return;
        if (!tlsHosts.some((t) => tlsCovers(t, host))) ctx.report({ messageId: 'hostUncovered', data: { host, index: i }, object: obj, path: joinPath('spec', 'rules', i, 'host') });
      });
    };
  },
});
