/**
 * Joining imported vulnerability reports to the containers that run the scanned images: by digest first (the
 * reference's digest or the running `imageID`), then — for `trivy k8s` — by the workload the scan was of, then by the
 * normalised reference (`domain/path:tag`). Built once per run from the inventory's VulnerabilityReport objects.
 */
import { atLeast, SEVERITIES, type Severity } from '../../core/severity.js';
import type { EngineFactory } from '../../framework/define.js';
import { referenceString, type ImageRef } from '../../model/image.js';
import { VULNERABILITY_REPORT, readVulnerabilityReport, type Vulnerability, type VulnerabilityReportView } from './objects.js';

export interface VulnIndex {
  /** True when at least one report was imported. */
  readonly any: boolean;
  find(ref: ImageRef, digests: readonly string[], workload?: { readonly namespace?: string; readonly kind: string; readonly name: string }): { reports: readonly VulnerabilityReportView[]; joinedBy: 'digest' | 'workload' | 'reference' } | undefined;
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  let l = m.get(k);
  if (!l) m.set(k, (l = []));
  l.push(v);
}

export const vulnIndexEngine: EngineFactory<VulnIndex> = {
  id: 'images-vuln-index',
  reads: [VULNERABILITY_REPORT],
  build(inventory) {
    const byDigest = new Map<string, VulnerabilityReportView[]>();
    const byRef = new Map<string, VulnerabilityReportView[]>();
    const byWorkload = new Map<string, VulnerabilityReportView[]>();
    let any = false;
    for (const o of inventory.ofKind(VULNERABILITY_REPORT)) {
      const r = readVulnerabilityReport(o);
      if (!r) continue;
      any = true;
      for (const d of r.digests) push(byDigest, d, r);
      for (const ref of r.references) push(byRef, ref, r);
      if (r.workload) push(byWorkload, `${r.workload.namespace ?? ''}/${r.workload.kind}/${r.workload.name}`, r);
    }
    return {
      any,
      find(ref, digests, workload) {
        for (const d of digests) {
          const hit = byDigest.get(d);
          if (hit) return { reports: hit, joinedBy: 'digest' };
        }
        if (workload) {
          // A trivy k8s resource: its reports that name this image (a workload's other containers run other images).
          const key = referenceString({ name: ref.name, tag: ref.tag ?? 'latest' });
          const mine = (byWorkload.get(`${workload.namespace ?? ''}/${workload.kind}/${workload.name}`) ?? []).filter((r) => r.references.includes(key) || (ref.digest !== undefined && r.digests.includes(ref.digest)));
          if (mine.length > 0) return { reports: mine, joinedBy: 'workload' };
        }
        // A reference with a digest names that content only: a report for the tag may be of other content.
        if (ref.digest !== undefined) return undefined;
        // When the running digest is known, a scan of the tag that names another digest is of other content.
        const hit = (byRef.get(referenceString({ name: ref.name, tag: ref.tag ?? 'latest' })) ?? []).filter((r) => digests.length === 0 || r.digests.length === 0 || r.digests.some((d) => digests.includes(d)));
        return hit.length > 0 ? { reports: hit, joinedBy: 'reference' } : undefined;
      },
    };
  },
};

export interface VulnPolicy {
  readonly maxSeverity: Severity;
  readonly ignoreUnfixed: boolean;
  readonly ignore: readonly string[];
}

export interface VulnSummary {
  /** Distinct vulnerabilities (id + package) per severity. */
  readonly counts: Readonly<Record<Severity | 'unknown', number>>;
  readonly fixable: number;
  readonly knownExploited: number;
  /** Those above the policy's maxSeverity, after ignores. */
  readonly above: readonly Vulnerability[];
  readonly highest?: Severity;
}

/** Count the vulnerabilities of the reports of one image (deduplicated by id and package) and apply the policy. */
export function summarize(reports: readonly VulnerabilityReportView[], policy: VulnPolicy): VulnSummary {
  const seen = new Map<string, Vulnerability>();
  for (const r of reports) for (const v of r.vulnerabilities) if (!seen.has(`${v.id}\u0000${v.pkg}`)) seen.set(`${v.id}\u0000${v.pkg}`, v);
  const counts = Object.fromEntries([...SEVERITIES, 'unknown'].map((s) => [s, 0])) as Record<Severity | 'unknown', number>;
  let fixable = 0;
  let knownExploited = 0;
  const above: Vulnerability[] = [];
  const ignore = new Set(policy.ignore);
  for (const v of seen.values()) {
    counts[v.severity]++;
    if (v.fixable) fixable++;
    if (v.knownExploited) knownExploited++;
    if (v.severity === 'unknown' || ignore.has(v.id)) continue;
    if (policy.ignoreUnfixed && !v.fixable) continue;
    if (atLeast(v.severity, policy.maxSeverity) && v.severity !== policy.maxSeverity) above.push(v);
  }
  const highest = above.reduce<Severity | undefined>((h, v) => (v.severity !== 'unknown' && (h === undefined || atLeast(v.severity, h)) ? v.severity : h), undefined);
  above.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { counts, fixable, knownExploited, above, ...(highest !== undefined ? { highest } : {}) };
}
