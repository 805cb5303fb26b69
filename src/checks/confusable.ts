/**
 * Check ids that read almost alike but mean different things: one word more or less (`etcd-client-plaintext`, the
 * live listener `kspect etcd check` probes, and `etcd-listen-client-plaintext`, the flag `kspect node` reads).
 * Ids are never renamed, so each such pair is told apart here: `kspect explain` prints the note under both ids,
 * and a meta test fails when a new near-duplicate id appears without one.
 */

export interface ConfusablePair {
  readonly ids: readonly [string, string];
  /** How the first differs from the second, in one phrase each: "first: …; second: …". */
  readonly note: string;
}

export const CONFUSABLE_CHECKS: readonly ConfusablePair[] = [
  { ids: ['apiserver-anonymous-auth', 'exposed-apiserver-anonymous-auth'], note: 'the --anonymous-auth flag of the kube-apiserver manifest (kspect node, scan); what a live API server answers an anonymous request (kspect probe)' },
  { ids: ['apiserver-audit-policy', 'apiserver-audit-policy-file'], note: 'what the audit policy logs; whether --audit-policy-file is set at all' },
  { ids: ['apiserver-encryption-config', 'apiserver-encryption-provider-config'], note: 'what the EncryptionConfiguration encrypts, and how; whether --encryption-provider-config is set at all' },
  { ids: ['audit-falco-alert', 'audit-falco-alert-internal'], note: "alerts on users' requests; alerts on dry runs and the API server's own requests" },
  { ids: ['cert-ca-validity-long', 'cert-validity-long'], note: 'CA certificates (10 years); leaf certificates (398 days)' },
  { ids: ['etcd-auto-tls', 'etcd-peer-auto-tls'], note: "self-signed certificates on etcd's client listener; on its peer listener" },
  { ids: ['etcd-auto-tls', 'etcd-tls'], note: 'self-signed client certificates (--auto-tls); TLS for clients configured at all (--cert-file, --key-file)' },
  { ids: ['etcd-client-cert-auth', 'etcd-client-cert-auth-disabled'], note: "the --client-cert-auth flag of etcd's manifest (kspect node); what a live etcd accepts from a client without a certificate (kspect etcd check, probe)" },
  { ids: ['etcd-client-cert-auth', 'etcd-peer-client-cert-auth'], note: 'certificates required from clients; from peers' },
  { ids: ['etcd-client-plaintext', 'etcd-listen-client-plaintext'], note: "a live etcd answering plain HTTP (kspect etcd check, probe); an http:// URL in etcd's --listen-client-urls (kspect node)" },
  { ids: ['etcd-peer-auto-tls', 'etcd-peer-tls'], note: 'self-signed peer certificates (--peer-auto-tls); TLS between peers configured at all (--peer-cert-file, --peer-key-file)' },
  { ids: ['etcd-peer-tls', 'etcd-tls'], note: 'TLS between etcd peers; TLS for clients' },
  { ids: ['exposed-kubelet-anonymous-auth', 'kubelet-anonymous-auth'], note: 'what a live kubelet answers an anonymous request (kspect probe); the kubelet configuration (kspect node)' },
  { ids: ['kubelet-read-only-port', 'kubelet-read-only-port-open'], note: "the CIS control as the benchmark words it (manual); kspect's automated check of the same setting" },
  { ids: ['kubelet-rotate-certificates', 'kubelet-rotate-server-certificates'], note: "rotation of the kubelet's client certificate; of its serving certificate" },
  { ids: ['netpol-namespace-no-default-deny', 'netpol-namespace-no-default-deny-egress'], note: 'no default-deny for ingress; for egress' },
  { ids: ['pki-key-file-permissions', 'pki-key-permissions'], note: 'CIS 1.1.21 on the keys under /etc/kubernetes/pki (kspect node, manual); the mode of key files given to kspect pki check' },
  { ids: ['pki-key-mismatch', 'pki-sa-key-mismatch'], note: "a certificate and its private key; the service-account signing key pair (sa.key, sa.pub)" },
  { ids: ['pki-key-permissions', 'pki-private-key-permissions'], note: "the mode of key files given to kspect pki check; the keys under the node's PKI folder (kspect node, automated)" },
];

/** The ids a check is easily taken for, each with the note telling them apart (first id's meaning first). */
export function confusableWith(id: string): readonly { readonly id: string; readonly note: string }[] {
  return CONFUSABLE_CHECKS.filter((p) => p.ids.includes(id)).map((p) => ({ id: p.ids[0] === id ? p.ids[1] : p.ids[0], note: `${p.ids[0]}: ${p.note.split('; ')[0] ?? ''}; ${p.ids[1]}: ${p.note.split('; ')[1] ?? ''}` }));
}

/** Pairs of ids that differ by one word (inserted anywhere) or are the same words reordered: easily confused. */
export function nearDuplicateIds(ids: readonly string[]): [string, string][] {
  const out: [string, string][] = [];
  const sorted = [...ids].sort();
  for (let i = 0; i < sorted.length; i++)
    for (let j = i + 1; j < sorted.length; j++) {
      const a = (sorted[i] ?? '').split('-');
      const b = (sorted[j] ?? '').split('-');
      if ([...a].sort().join('-') === [...b].sort().join('-')) {
        out.push([sorted[i] ?? '', sorted[j] ?? '']);
        continue;
      }
      const [short, long] = a.length < b.length ? [a, b] : [b, a];
      if (long.length - short.length !== 1) continue;
      for (let k = 0; k < long.length; k++)
        if (long.filter((_, x) => x !== k).join('-') === short.join('-')) {
          out.push([sorted[i] ?? '', sorted[j] ?? '']);
          break;
        }
    }
  return out;
}
