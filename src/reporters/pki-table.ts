/**
 * The certificate table of `kspect pki check`, shaped like `kubeadm certs check-expiration`,
 * and the endpoint table. A pure function of the Report's `pki` section.
 */
import type { Report } from '../core/report.js';
import { defuseCiCommands, escapeText as e } from '../core/text.js';
import { paint, type Style } from './style.js';

function table(rows: readonly (readonly string[])[]): string[] {
  const widths: number[] = [];
  for (const r of rows) r.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, c.length)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join('   ').trimEnd());
}

function residual(days: number): string {
  if (days < 0) return 'expired';
  if (days >= 365) return `${Math.floor(days / 365)}y ${days % 365}d`;
  return `${days}d`;
}

function cut(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}

function cnOf(dn: string): string {
  const m = /(?:^|,\s*)CN=((?:[^,\\]|\\.)*)/.exec(dn);
  return m?.[1] ?? dn;
}

export function renderPkiTables(report: Report, style: Style): string {
  const pki = report.pki;
  if (!pki) return '';
  const lines: string[] = [];
  if (pki.certificates.length > 0) {
    const rows: string[][] = [['CERTIFICATE', 'SUBJECT', 'IDENTITY', 'EXPIRES', 'RESIDUAL TIME', 'ISSUER', 'ROLE']];
    for (const c of pki.certificates) {
      // Paths, subjects, identities and issuers come from the certificates and file names: escaped.
      const identity = c.identity ? `${c.identity.user}${c.identity.groups.length > 0 ? ` [${c.identity.groups.join(',')}]` : ''}` : '';
      rows.push([cut(e(c.certificate), 48), cut(e(cnOf(c.subject)), 32), cut(e(identity), 40), e(c.notAfter.slice(0, 16).replace('T', ' ')), residual(c.residualDays), cut(e(cnOf(c.issuer)), 28), e(c.kubeadmName !== undefined ? `${c.role} (${c.kubeadmName})` : c.role)]);
    }
    const [head, ...body] = table(rows);
    lines.push(paint(style, 'bold', head ?? ''), ...body, '');
  }
  if (pki.endpoints.length > 0) {
    const yn = (b: boolean | undefined): string => (b === undefined ? '?' : b ? 'yes' : 'no');
    const rows: string[][] = [['ENDPOINT', 'TLS1.0', 'TLS1.1', 'TLS1.2', 'TLS1.3', 'CIPHERS', 'CLIENT CERT REQUESTED', 'HOSTNAME MATCH']];
    for (const ep of pki.endpoints) {
      const p = (v: string): string => yn(ep.protocols[v]);
      rows.push([e(ep.endpoint), p('TLSv1'), p('TLSv1.1'), p('TLSv1.2'), p('TLSv1.3'), String(ep.ciphers.length), ep.error !== undefined ? '-' : yn(ep.clientCertRequested), ep.error !== undefined ? '-' : yn(ep.hostnameMatch)]);
    }
    const [head, ...body] = table(rows);
    lines.push(paint(style, 'bold', head ?? ''), ...body, '');
  }
  const anchors = { given: 'chains verified against --ca', inputs: 'chains verified against the CA certificates among the inputs', none: 'no CA known: chains not verified (give --ca)' }[pki.anchors];
  lines.push(paint(style, 'dim', `${pki.certificates.length} certificate${pki.certificates.length === 1 ? '' : 's'}, ${pki.endpoints.length} endpoint${pki.endpoints.length === 1 ? '' : 's'}; ${anchors}`), '');
  return defuseCiCommands(`${lines.join('\n')}\n`, (c) => (c === '#' ? '\\x23' : '\\x3a'));
}
