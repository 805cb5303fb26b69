/**
 * Importing vulnerability scanner results: Trivy JSON (`SchemaVersion` 2, `trivy image` and `trivy k8s` —
 * `Resources` or consolidated `Findings`) and Grype JSON. Each scanned artifact becomes a `VulnerabilityReport`
 * object with its file as source; kspect keeps no vulnerability database of its own. A file that is neither gives
 * one problem line naming it; the other files are still read.
 */
import type { Problem } from '../core/finding.js';
import { isSeverity, type Severity } from '../core/severity.js';
import { vulnerabilityReportObject, type Vulnerability, type VulnerabilityReportView } from '../engines/images/objects.js';
import { digestOfImageId, parseImageRef, referenceString } from '../model/image.js';
import type { K8sObject } from '../model/object.js';
import { readErrorText, readRegularText, ReadRefusedError } from './safe-read.js';

/** Largest scanner report read. */
export const MAX_VULN_FILE_BYTES = 512 * 1024 * 1024;

type Rec = Record<string, unknown>;
const rec = (v: unknown): v is Rec => typeof v === 'object' && v !== null && !Array.isArray(v);
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** Scanner severities to kspect's: Trivy CRITICAL…LOW/UNKNOWN, Grype Critical…Negligible/Unknown. */
export function severityOf(s: unknown): Severity | 'unknown' {
  if (typeof s !== 'string') return 'unknown';
  const l = s.toLowerCase();
  if (l === 'negligible') return 'info';
  return isSeverity(l) ? l : 'unknown';
}

function refsOf(names: readonly (string | undefined)[]): string[] {
  const out = new Set<string>();
  for (const n of names) {
    if (n === undefined || n === '') continue;
    const r = parseImageRef(n);
    if (r.ok && r.value.digest === undefined) out.add(referenceString({ name: r.value.name, tag: r.value.tag ?? 'latest' }));
  }
  return [...out].sort();
}

function digestsOf(values: readonly (string | undefined)[]): string[] {
  const out = new Set<string>();
  for (const v of values) {
    if (v === undefined) continue;
    const d = digestOfImageId(v);
    if (d !== undefined) out.add(d);
  }
  return [...out].sort();
}

function trivyVulns(results: unknown): Vulnerability[] {
  const out: Vulnerability[] = [];
  for (const r of arr(results)) {
    for (const v of arr(rec(r) ? r.Vulnerabilities : undefined)) {
      if (!rec(v)) continue;
      const fixed = str(v.FixedVersion);
      out.push({
        id: str(v.VulnerabilityID) ?? '',
        severity: severityOf(v.Severity),
        pkg: str(v.PkgName) ?? '',
        installed: str(v.InstalledVersion) ?? '',
        ...(fixed !== undefined && fixed !== '' ? { fixedVersion: fixed } : {}),
        fixable: v.Status === 'fixed' || (fixed !== undefined && fixed !== ''),
        knownExploited: false,
      });
    }
  }
  return out;
}

function trivyMetadataIds(meta: unknown): { digests: string[]; names: string[] } {
  const m = rec(meta) ? meta : {};
  const repoDigests = arr(m.RepoDigests).map(str);
  const repoTags = arr(m.RepoTags).map(str);
  return { digests: digestsOf(repoDigests), names: [...repoTags, ...repoDigests.map((d) => d?.split('@')[0])].filter((x): x is string => x !== undefined) };
}

/** Parse one scanner document; `file` names the source. */
export function parseScannerReport(doc: unknown, file: string): { reports: VulnerabilityReportView[]; error?: string } {
  if (!rec(doc)) return { reports: [], error: 'not a Trivy (SchemaVersion 2) or Grype JSON report' };
  // Grype: { matches, source, descriptor: { name: "grype" } }
  if (Array.isArray(doc.matches) && rec(doc.source)) {
    const target = rec(doc.source.target) ? doc.source.target : {};
    const vulns: Vulnerability[] = [];
    for (const m of doc.matches) {
      if (!rec(m) || !rec(m.vulnerability)) continue;
      const v = m.vulnerability;
      const art = rec(m.artifact) ? m.artifact : {};
      const fix = rec(v.fix) ? v.fix : {};
      const versions = arr(fix.versions).map(str).filter((x): x is string => x !== undefined);
      vulns.push({
        id: str(v.id) ?? '',
        severity: severityOf(v.severity),
        pkg: str(art.name) ?? '',
        installed: str(art.version) ?? '',
        ...(versions.length > 0 ? { fixedVersion: versions.join(', ') } : {}),
        fixable: fix.state === 'fixed',
        knownExploited: arr(v.knownExploited).length > 0,
      });
    }
    const userInput = str(target.userInput);
    return {
      reports: [
        {
          scanner: 'grype',
          artifact: userInput ?? str(target.imageID) ?? file,
          digests: digestsOf([str(target.manifestDigest), ...arr(target.repoDigests).map(str)]),
          references: refsOf([userInput, ...arr(target.tags).map(str), ...arr(target.repoDigests).map((d) => str(d)?.split('@')[0])]),
          vulnerabilities: vulns,
          file,
        },
      ],
    };
  }
  if (doc.SchemaVersion !== 2) {
    if (doc.SchemaVersion !== undefined) return { reports: [], error: `Trivy SchemaVersion ${JSON.stringify(doc.SchemaVersion)} is not supported (only 2)` };
    return { reports: [], error: 'not a Trivy (SchemaVersion 2) or Grype JSON report' };
  }
  // trivy k8s: { ClusterName, Resources | Findings: [{ Namespace, Kind, Name, Metadata: [...], Results }] }
  const resources = Array.isArray(doc.Resources) ? doc.Resources : Array.isArray(doc.Findings) ? doc.Findings : undefined;
  if (resources !== undefined) {
    const reports: VulnerabilityReportView[] = [];
    for (const r of resources) {
      if (!rec(r)) continue;
      const kind = str(r.Kind);
      const name = str(r.Name);
      if (kind === undefined || name === undefined) continue;
      const ns = str(r.Namespace);
      const metas = arr(r.Metadata);
      const results = arr(r.Results).filter((x) => rec(x) && Array.isArray(x.Vulnerabilities));
      if (results.length === 0 && metas.length === 0) continue;
      // Each image of the workload: results whose Target starts with one of its names, or all when there is one image.
      const images = metas.length > 0 ? metas : [{}];
      images.forEach((meta, i) => {
        const ids = trivyMetadataIds(meta);
        const mine = images.length === 1 ? results : results.filter((x) => ids.names.some((n) => str((x as Rec).Target)?.startsWith(n) === true));
        reports.push({
          scanner: 'trivy',
          artifact: ids.names[0] ?? `${kind}/${name}#${i}`,
          digests: ids.digests,
          references: refsOf(ids.names),
          workload: { kind, name, ...(ns !== undefined && ns !== '' ? { namespace: ns } : {}) },
          vulnerabilities: trivyVulns(mine),
          file,
        });
      });
    }
    return { reports };
  }
  if (!Array.isArray(doc.Results) && typeof doc.ArtifactName !== 'string') return { reports: [], error: 'a Trivy report without ArtifactName, Results or Resources' };
  const ids = trivyMetadataIds(doc.Metadata);
  const artifact = str(doc.ArtifactName) ?? file;
  return {
    reports: [
      {
        scanner: 'trivy',
        artifact,
        digests: ids.digests,
        // `trivy image --input x.tar` names the archive: that is no reference.
        references: refsOf([doc.ArtifactType === 'container_image' && !/\.(?:tar|tgz|tar\.gz)$/.test(artifact) ? artifact : undefined, ...ids.names]),
        vulnerabilities: trivyVulns(doc.Results),
        file,
      },
    ],
  };
}

/** Read scanner reports into inventory objects; each unreadable or unknown file is one problem. */
export async function loadVulnerabilityReports(files: readonly string[]): Promise<{ objects: K8sObject[]; problems: Problem[] }> {
  const objects: K8sObject[] = [];
  const problems: Problem[] = [];
  let index = 0;
  for (const file of files) {
    let text: string;
    try {
      text = await readRegularText(file, { max: MAX_VULN_FILE_BYTES });
    } catch (e) {
      if (e instanceof ReadRefusedError) problems.push({ code: e.code === 'EFBIG' ? 'file-too-large' : 'not-readable', severity: 'error', file, message: e.message });
      else problems.push({ code: 'not-readable', severity: 'error', file, message: `cannot read: ${readErrorText(e)}` });
      continue;
    }
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch (e) {
      problems.push({ code: 'vulns-syntax', severity: 'error', file, message: jsonErrorText(e) });
      continue;
    }
    const r = parseScannerReport(doc, file);
    if (r.error !== undefined) {
      problems.push({ code: 'vulns-format', severity: 'error', file, message: r.error });
      continue;
    }
    for (const rep of r.reports) objects.push(vulnerabilityReportObject(rep, index++));
  }
  return { objects, problems };
}

/**
 * Why a scanner report is not JSON, without quoting it: V8's messages repeat a piece of the input ("… is not valid
 * JSON"), which may be anything, secrets included. The position is kept when the message has one.
 */
function jsonErrorText(e: unknown): string {
  const m = e instanceof Error ? e.message : '';
  if (m.includes('Unexpected end of JSON input')) return 'not JSON: it ends early (cut off?)';
  const at = /at position (\d{1,12})/.exec(m);
  return `not JSON${at ? ` (at character ${at[1] ?? ''})` : ''}`;
}
