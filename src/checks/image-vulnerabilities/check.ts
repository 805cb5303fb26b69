/**
 * image-vulnerabilities: containers whose image, per the imported scanner results (`--vulns`), has vulnerabilities
 * above `maxSeverity`. Joined by digest (written or running imageID), then workload (`trivy k8s`), then reference.
 * Does nothing when no scanner report was imported; a container with no matching report is not evaluated.
 */
import { err, ok, type Result } from '../../core/result.js';
import { isSeverity, type Severity } from '../../core/severity.js';
import { summarize, vulnIndexEngine, type VulnPolicy } from '../../engines/images/vulns.js';
import { RUNNING_IMAGES, runningImagesEngine, VULNERABILITY_REPORT } from '../../engines/images/objects.js';
import { defineCheck } from '../../framework/define.js';
import { containerImage, runningDigestOfImageId } from '../../model/image.js';
import { getArray, getObject, getString } from '../../model/object.js';
import { containersOf, podSpecOf, POD_SPEC_KINDS } from '../../model/podspec.js';

function parseOptions(value: unknown): Result<VulnPolicy> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return err('must be a mapping (maxSeverity, ignoreUnfixed, ignore)');
  const v = value as Record<string, unknown>;
  const extra = Object.keys(v).filter((k) => !['maxSeverity', 'ignoreUnfixed', 'ignore'].includes(k));
  if (extra.length > 0) return err(`unknown parameter "${extra[0] ?? ''}"`);
  if (v.maxSeverity !== undefined && !isSeverity(v.maxSeverity)) return err(`maxSeverity: ${JSON.stringify(v.maxSeverity)} is not critical, high, medium, low or info`);
  if (v.ignoreUnfixed !== undefined && typeof v.ignoreUnfixed !== 'boolean') return err('ignoreUnfixed must be true or false');
  if (v.ignore !== undefined && (!Array.isArray(v.ignore) || !v.ignore.every((x) => typeof x === 'string'))) return err('ignore must be a list of vulnerability ids');
  const maxSeverity: Severity = isSeverity(v.maxSeverity) ? v.maxSeverity : 'medium';
  const ignore: string[] = Array.isArray(v.ignore) ? v.ignore.filter((x): x is string => typeof x === 'string') : [];
  return ok({ maxSeverity, ignoreUnfixed: v.ignoreUnfixed === true, ignore });
}

/** Running digests of a pod's containers, from status (when the object kept it). */
function runningDigests(obj: { raw: unknown }): Map<string, string> {
  const out = new Map<string, string>();
  const status = getObject(obj.raw, 'status');
  for (const key of ['containerStatuses', 'initContainerStatuses', 'ephemeralContainerStatuses']) {
    for (const s of getArray(status, key)) {
      const name = getString(s, 'name');
      const d = runningDigestOfImageId(getString(s, 'imageID') ?? '');
      if (name !== undefined && d !== undefined) out.set(name, d);
    }
  }
  return out;
}

export const imageVulnerabilities = defineCheck<'above', VulnPolicy>({
  id: 'image-vulnerabilities',
  meta: {
    title: 'Image with vulnerabilities above the threshold',
    description:
      'A container runs an image in which a scanner (Trivy or Grype, imported with `--vulns`) found vulnerabilities more severe than the team accepts. Known-exploited ones (CISA KEV, as Grype reports them) are being used in attacks now. kspect keeps no vulnerability database: it ties the scanner\'s results to the workloads that run the scanned image, by digest where it can.',
    severity: 'high',
    category: 'supply-chain',
    reads: [VULNERABILITY_REPORT, RUNNING_IMAGES],
    kinds: POD_SPEC_KINDS,
    messages: {
      above: 'container "{{container}}" runs {{image}} with {{count}} {{vulnerabilities}} above {{max}} ({{counts}}; {{fixable}} fixable){{kev}}, e.g. {{example}} (joined by {{joinedBy}})',
    },
    remediation: 'Rebuild the image on a patched base or upgrade the vulnerable packages (the scanner names the fixed versions), then redeploy; accept what cannot be fixed with `parameters.image-vulnerabilities.ignore` or `ignoreUnfixed`, and enforce the threshold at admission.',
    references: {
      nsa: ['Pod security: container images', 'Vulnerability scanning'],
      mitre: ['T1190', 'T1525'],
      urls: ['https://www.cisa.gov/known-exploited-vulnerabilities-catalog', 'https://trivy.dev/', 'https://github.com/anchore/grype'],
    },
    recommended: true,
    options: {
      defaults: { maxSeverity: 'medium', ignoreUnfixed: false, ignore: [] },
      parse: parseOptions,
      docs: {
        maxSeverity: 'the highest severity an image may carry (default medium: high and critical vulnerabilities are findings)',
        ignoreUnfixed: 'ignore vulnerabilities without a fixed version (default false)',
        ignore: 'vulnerability ids (CVE-…, GHSA-…) accepted',
      },
    },
  },
  create(ctx, policy) {
    const index = ctx.engine(vulnIndexEngine);
    if (!index.any) return {};
    const runningOf = ctx.engine(runningImagesEngine);
    return (obj) => {
      const view = podSpecOf(obj);
      if (!view) return;
      const running = runningDigests(obj);
      for (const c of containersOf(view)) {
        const img = containerImage(c);
        if (!img?.ref.ok) continue;
        const ref = img.ref.value;
        // The pod's own status, then what the workload's pods run on the cluster (scan --cluster), then the written digest.
        const live = runningOf.get(`${obj.kind}/${obj.metadata.namespace ?? ''}/${obj.metadata.name}/${c.name}`) ?? [];
        const digests = [...new Set([running.get(c.name), ...live, ref.digest].filter((d): d is string => d !== undefined))];
        const hit = index.find(ref, digests, { ...(obj.metadata.namespace !== undefined ? { namespace: obj.metadata.namespace } : {}), kind: obj.kind, name: obj.metadata.name });
        if (!hit) {
          ctx.notEvaluated({ reason: 'missing-input', object: obj, message: `container "${c.name}": no imported scan result for ${img.image}${digests.length > 0 ? ` (${digests.join(', ')})` : ''}` });
          continue;
        }
        const s = summarize(hit.reports, policy);
        if (s.above.length === 0 || s.highest === undefined) continue;
        const kev = s.above.filter((v) => v.knownExploited);
        const counts = (['critical', 'high', 'medium', 'low', 'info'] as const).filter((k) => s.above.some((v) => v.severity === k)).map((k) => `${s.above.filter((v) => v.severity === k).length} ${k}`).join(', ');
        const data = { container: c.name, image: img.image, max: policy.maxSeverity, joinedBy: hit.joinedBy };
        ctx.report({
          messageId: 'above',
          data: { ...data, count: s.above.length, vulnerabilities: s.above.length === 1 ? 'vulnerability' : 'vulnerabilities', counts, fixable: s.above.filter((v) => v.fixable).length, kev: kev.length > 0 ? `, ${kev.length} known-exploited` : '', example: [...kev, ...s.above.filter((v) => !v.knownExploited)].slice(0, 3).map((v) => `${v.id} in ${v.pkg} ${v.installed}${v.fixedVersion !== undefined ? ` (fixed in ${v.fixedVersion})` : ''}`).join(', ') },
          object: obj,
          container: c.name,
          path: img.path,
          // A vulnerability being exploited now is critical whatever its score.
          severity: kev.length > 0 ? 'critical' : s.highest,
          evidence: `${kev.length > 0 ? `known-exploited: ${kev.map((v) => v.id).slice(0, 10).join(', ')}; ` : ''}${s.above.map((v) => v.id).slice(0, 20).join(', ')}${s.above.length > 20 ? ', …' : ''}`,
        });
      }
    };
  },
});
