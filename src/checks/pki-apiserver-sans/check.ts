/** pki-apiserver-sans: the API server certificate lacks the names clients use to reach it. */
import { definePkiCheck, parseOptions, type PkiOutcome } from '../support/pki-check.js';

export interface ApiserverSanOptions extends Record<string, string> {
  readonly clusterDomain: string;
  readonly serviceCidr: string;
  /** The API server's advertise address; empty when unknown. */
  readonly advertiseAddress: string;
}

const DEFAULTS: ApiserverSanOptions = { clusterDomain: 'cluster.local', serviceCidr: '10.96.0.0/12', advertiseAddress: '' };

/** The first address of a service CIDR: the ClusterIP of the `kubernetes` Service. */
export function firstServiceIp(cidr: string): string | undefined {
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\/(\d+)$/.exec(cidr.split(',')[0]?.trim() ?? '');
  if (!m) return undefined;
  const bits = Number(m[5]);
  const n = ((Number(m[1]) << 24) | (Number(m[2]) << 16) | (Number(m[3]) << 8) | Number(m[4])) >>> 0;
  const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
  const first = ((n & mask) + 1) >>> 0;
  return [first >>> 24, (first >>> 16) & 255, (first >>> 8) & 255, first & 255].join('.');
}

export const pkiApiserverSans = definePkiCheck<'missing' | 'badCidr', ApiserverSanOptions>({
  id: 'pki-apiserver-sans',
  meta: {
    title: 'API server certificate lacks expected SANs',
    description:
      'Pods reach the API server as kubernetes, kubernetes.default, kubernetes.default.svc, kubernetes.default.svc.<cluster domain> and the first IP of the service CIDR; nodes reach it at its advertise address. kubeadm puts all of them in apiserver.crt; a missing one breaks clients that verify the host name.',
    severity: 'medium',
    messages: {
      missing: 'API server certificate "{{cert}}" lacks the SANs {{missing}}',
      badCidr: 'serviceCidr "{{cidr}}" is not an IPv4 CIDR; the service IP SAN is not checked',
    },
    remediation: 'Re-issue apiserver.crt with the missing names (`kubeadm init phase certs apiserver --apiserver-cert-extra-sans ...`).',
    references: { urls: ['https://kubernetes.io/docs/setup/best-practices/certificates/#all-certificates'] },
    recommended: true,
    options: {
      defaults: DEFAULTS,
      parse: (v) => parseOptions(DEFAULTS, v),
      docs: { clusterDomain: 'the cluster DNS domain (cluster.local)', serviceCidr: 'the service CIDR, whose first address is the kubernetes Service IP (10.96.0.0/12)', advertiseAddress: 'the API server advertise address, checked when given' },
    },
  },
  manifests: false,
  evaluate(a, o) {
    const out: PkiOutcome<'missing' | 'badCidr'>[] = [];
    const ip = firstServiceIp(o.serviceCidr);
    for (const item of a.material.certs) {
      if (item.kubeadmName !== 'apiserver') continue;
      if (ip === undefined) out.push({ messageId: 'badCidr', data: { cidr: o.serviceCidr }, ref: item.ref });
      const dns = ['kubernetes', 'kubernetes.default', 'kubernetes.default.svc', `kubernetes.default.svc.${o.clusterDomain}`];
      const ips = [...(ip !== undefined ? [ip] : []), ...(o.advertiseAddress !== '' ? [o.advertiseAddress] : [])];
      const missing = [...dns.filter((d) => !item.cert.sans.dns.includes(d)).map((d) => `DNS:${d}`), ...ips.filter((i) => !item.cert.sans.ip.includes(i)).map((i) => `IP:${i}`)];
      if (missing.length > 0) out.push({ messageId: 'missing', data: { cert: item.ref.name, missing: missing.join(', ') }, ref: item.ref });
    }
    return out;
  },
});
