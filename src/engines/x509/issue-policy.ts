/**
 * What kspect agrees to issue: certificates that are valid and that kspect's own checks would not flag.
 * - Lifetimes are bounded: a leaf at most 398 days (cert-validity-long's default), a CA at most 10 years
 *   (cert-ca-validity-long's); zero, fractions and absurd values are refused.
 * - SANs are validated: DNS names per RFC 1123 (labels of letters, digits and hyphens, 1-63 characters, not starting
 *   or ending with a hyphen, 253 characters in all; `*.` allowed only as the whole leftmost label), IPv4 in dotted
 *   decimal, IPv6 per RFC 4291 text forms, email as local@domain, URIs with a scheme.
 * - Server and peer certificates need a DNS or IP SAN (Go's TLS ignores the CN for hostnames since 1.15).
 * - Privileged Kubernetes identities — the groups system:masters, kubeadm:cluster-admins, system:nodes and
 *   system:bootstrappers, and the users system:node:*, system:kube-controller-manager, system:kube-scheduler,
 *   system:apiserver, system:kube-proxy, system:admin — need --force on every issuing command.
 */

export const MAX_LEAF_DAYS = 398;
export const MAX_CA_DAYS = 3653;

/** Groups whose members hold cluster-admin or node powers the moment a CA signs them in. */
export const PRIVILEGED_GROUPS: ReadonlyMap<string, string> = new Map([
  ['system:masters', 'an unrevocable cluster-admin: no RBAC rule applies to it'],
  ['kubeadm:cluster-admins', 'bound to cluster-admin by kubeadm'],
  ['system:nodes', 'a kubelet identity under the Node authorizer'],
  ['system:bootstrappers', 'may request node client certificates'],
]);

const PRIVILEGED_USERS: ReadonlyMap<string, string> = new Map([
  ['system:kube-controller-manager', 'the controller manager: reads every Secret'],
  ['system:kube-scheduler', 'the scheduler'],
  ['system:apiserver', 'the API server itself'],
  ['system:kube-proxy', 'kube-proxy'],
  ['system:admin', 'a conventional administrator name'],
]);

/** Why a subject (CN = user, O = groups) is a privileged Kubernetes identity; empty when it is not. */
export function privilegedIdentity(cn: string | undefined, groups: readonly string[]): string[] {
  const out: string[] = [];
  for (const g of groups) {
    const why = PRIVILEGED_GROUPS.get(g);
    if (why !== undefined) out.push(`the group ${g} (${why})`);
  }
  if (cn !== undefined) {
    const why = PRIVILEGED_USERS.get(cn);
    if (why !== undefined) out.push(`the user ${cn} (${why})`);
    else if (cn.startsWith('system:node:')) out.push(`the user ${cn} (a node identity under the Node authorizer)`);
  }
  return out;
}

/** A problem with `--days`, or undefined. */
export function daysProblem(days: number, isCA: boolean): string | undefined {
  if (!Number.isInteger(days) || days <= 0) return '--days must be a positive whole number';
  const max = isCA ? MAX_CA_DAYS : MAX_LEAF_DAYS;
  if (days > max) return `--days ${days} is over the ${max}-day limit of a ${isCA ? 'CA' : 'leaf'} certificate${isCA ? ' (10 years)' : ' (a leaf cannot be revoked in Kubernetes)'}`;
  return undefined;
}

const LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

/** A DNS name per RFC 1123, optionally a wildcard (`*.example.com`); a problem or undefined. */
export function dnsNameProblem(name: string): string | undefined {
  if (name === '') return 'an empty DNS name';
  const body = name.endsWith('.') ? name.slice(0, -1) : name;
  if (body.length > 253) return 'a DNS name is at most 253 characters';
  const labels = body.split('.');
  for (const [i, l] of labels.entries()) {
    if (l === '*' && i === 0 && labels.length >= 3) continue;
    if (l === '*' && i === 0) return 'a wildcard needs at least two labels after it (*.example.com)';
    if (l.includes('*')) return 'a wildcard must be the whole leftmost label (*.example.com)';
    if (l === '') return 'a DNS name has no empty labels';
    if (!LABEL.test(l)) return `"${l}" is not a DNS label (letters, digits and hyphens, 1-63 characters, no hyphen at either end)`;
  }
  return undefined;
}

/** IPv4 in dotted decimal, four parts of 0-255 without leading zeros. */
export function isIPv4(s: string): boolean {
  const parts = s.split('.');
  return parts.length === 4 && parts.every((p) => /^(?:0|[1-9]\d{0,2})$/.test(p) && Number(p) <= 255);
}

/** IPv6 in the text forms of RFC 4291 (hex groups, one `::`, an optional trailing IPv4), no zone. */
export function isIPv6(s: string): boolean {
  if (s.length > 45 || s.length < 2) return false;
  let head = s;
  let v4 = 0;
  const lastColon = s.lastIndexOf(':');
  if (s.slice(lastColon + 1).includes('.')) {
    if (!isIPv4(s.slice(lastColon + 1))) return false;
    head = s.slice(0, lastColon + 1) + '0';
    v4 = 1;
  }
  const halves = head.split('::');
  if (halves.length > 2) return false;
  const group = (g: string): boolean => /^[0-9A-Fa-f]{1,4}$/.test(g);
  const parse = (h: string): string[] | undefined => {
    if (h === '') return [];
    const gs = h.split(':');
    return gs.every(group) ? gs : undefined;
  };
  const left = parse(halves[0] ?? '');
  if (left === undefined) return false;
  if (halves.length === 1) return left.length + v4 === 8;
  const right = parse(halves[1] ?? '');
  if (right === undefined) return false;
  return left.length + right.length + v4 <= 7;
}

/** A problem with one SAN value of the given type, or undefined. */
export function sanProblem(type: 'dns' | 'ip' | 'email' | 'uri', value: string): string | undefined {
  switch (type) {
    case 'dns':
      return dnsNameProblem(value);
    case 'ip':
      return isIPv4(value) || isIPv6(value) ? undefined : 'not an IPv4 or IPv6 address';
    case 'email': {
      const at = value.lastIndexOf('@');
      if (at <= 0 || /[\s<>]/.test(value)) return 'not an email address (local@domain)';
      const d = dnsNameProblem(value.slice(at + 1));
      return d !== undefined ? `not an email address: ${d}` : undefined;
    }
    case 'uri':
      return /^[A-Za-z][A-Za-z0-9+.-]*:\S+$/.test(value) ? undefined : 'not a URI with a scheme (spiffe://…, https://…)';
  }
}
