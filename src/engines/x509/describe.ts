/** Certificate and endpoint summaries for the `kspect pki check` table and the JSON report. */
import type { CertificateSummary, EndpointSummary } from '../../core/report.js';
import type { PkiAnalysis } from './analysis.js';
import type { CertInfo } from './cert.js';
import type { CertItem, EndpointItem } from './material.js';
import { TLS_VERSIONS } from './material.js';

const DAY = 86_400_000;

/** Whole days from now to notAfter; negative once expired. */
export function residualDays(cert: CertInfo, now: Date): number {
  return Math.floor((cert.notAfter.getTime() - now.getTime()) / DAY);
}

/** A certificate authenticates as a Kubernetes user when it may be used for client authentication. */
export function carriesIdentity(item: CertItem): boolean {
  const c = item.cert;
  if (c.isCA || item.role === 'ca' || item.role === 'server') return false;
  if (item.role === 'client' || item.role === 'peer') return true;
  return c.extKeyUsage !== undefined && (c.extKeyUsage.includes('clientAuth') || c.extKeyUsage.includes('anyExtendedKeyUsage'));
}

export function keyText(c: CertInfo): string {
  const k = c.publicKey;
  if (k.type === 'ec') return `ecdsa ${k.curve ?? ''}`.trim();
  if (k.type === 'rsa' || k.type === 'rsa-pss' || k.type === 'dsa') return `${k.type} ${k.bits ?? '?'}`;
  return k.type;
}

export function sanList(c: CertInfo): string[] {
  return [...c.sans.dns.map((d) => `DNS:${d}`), ...c.sans.ip.map((i) => `IP:${i}`), ...c.sans.email.map((e) => `email:${e}`), ...c.sans.uri.map((u) => `URI:${u}`)];
}

export function certificateSummary(item: CertItem, now: Date): CertificateSummary {
  const c = item.cert;
  return {
    certificate: item.ref.name,
    source: item.ref.source,
    ...(item.ref.path !== undefined ? { path: item.ref.path } : {}),
    subject: c.subject.text,
    ...(carriesIdentity(item) ? { identity: { user: c.subject.cn ?? '', groups: c.subject.o } } : {}),
    issuer: c.issuer.text,
    serial: c.serial,
    notBefore: c.notBefore.toISOString(),
    notAfter: c.notAfter.toISOString(),
    residualDays: residualDays(c, now),
    role: item.role,
    ...(item.kubeadmName !== undefined ? { kubeadmName: item.kubeadmName } : {}),
    ca: c.isCA,
    sans: sanList(c),
    ...(c.keyUsage ? { keyUsage: c.keyUsage } : {}),
    ...(c.extKeyUsage ? { extKeyUsage: c.extKeyUsage } : {}),
    publicKey: keyText(c),
    signature: c.signature.name,
    sha256: c.sha256,
  };
}

/** Does the certificate name this host? Go/Kubernetes semantics: SANs only, never the CN; whole-label wildcards. */
export function certMatchesHost(cert: CertInfo, hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '');
  // An Ingress may serve a wildcard host: the certificate must carry that same wildcard.
  if (host.startsWith('*.')) return cert.sans.dns.some((d) => d.toLowerCase() === host.toLowerCase());
  const isIp = /^[\d.]+$/.test(host) || host.includes(':');
  try {
    return isIp ? cert.node.checkIP(host) !== undefined : cert.node.checkHost(host, { subject: 'never', wildcards: true, partialWildcards: false, singleLabelSubdomains: false }) !== undefined;
  } catch {
    return false;
  }
}

/** Does the endpoint's leaf certificate name the host it was reached by? */
export function hostnameMatches(e: EndpointItem): boolean | undefined {
  const leaf = e.chain[0];
  if (!leaf) return undefined;
  return certMatchesHost(leaf.cert, e.probe.host);
}

export function endpointSummary(e: EndpointItem): EndpointSummary {
  const m = hostnameMatches(e);
  return {
    endpoint: e.ref.source.uri,
    protocols: Object.fromEntries(TLS_VERSIONS.map((v) => [v, e.probe.protocols[v].accepted])),
    ciphers: e.probe.ciphers,
    ...(e.probe.clientCertRequested !== undefined ? { clientCertRequested: e.probe.clientCertRequested } : {}),
    ...(m !== undefined ? { hostnameMatch: m } : {}),
    ...(e.probe.error !== undefined ? { error: e.probe.error } : {}),
  };
}

export function pkiSummary(a: PkiAnalysis): { certificates: CertificateSummary[]; endpoints: EndpointSummary[]; anchors: PkiAnalysis['anchorSource'] } {
  return {
    certificates: a.material.certs.map((c) => certificateSummary(c, a.now)),
    endpoints: a.material.endpoints.map(endpointSummary),
    anchors: a.anchorSource,
  };
}
