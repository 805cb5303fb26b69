/**
 * The image signature part of an admission decision, pure: which of a Pod's images a signature rule covers (and
 * would count in the namespace's mode), and — once signatures.ts has gathered the evidence — the ContainerImage
 * objects the image-signature check judges, exactly as `kspect images verify` builds them (judgeImage of the images
 * engine, the same view). The server does the waiting; review.ts does the deciding.
 */
import { RULE_MODE_SEVERITY } from '../../checks/image-signature/check.js';
import { atLeast, SEVERITIES, type Severity } from '../../core/severity.js';
import { containerImageObject, readContainerImage, signatureView, type ContainerImageView } from '../../engines/images/objects.js';
import { judgeImage, type ImageEvidence, type LoadedRule } from '../../engines/images/policy.js';
import type { ActiveCheck } from '../../framework/runner.js';
import { containerImage, type ImageRef } from '../../model/image.js';
import { getArray, getObject, getString, type K8sObject } from '../../model/object.js';
import { containersOf, podSpecOf } from '../../model/podspec.js';
import type { ModePolicy } from './review.js';

export const IMAGE_SIGNATURE_CHECK = 'image-signature';

/** One container image a signature rule covers. */
export interface CoveredImage {
  readonly container: string;
  readonly image: string;
  readonly ref: ImageRef;
  /** The field path of the container's image. */
  readonly path: string;
}

/** What the registries said about a Pod's covered images, for the decision. */
export interface AdmissionImages {
  /** ContainerImage objects (one per covered container) with each rule's verdict. */
  readonly objects: readonly K8sObject[];
  /** Why the images could not be verified at all (the API server's deadline passed first). */
  readonly failure?: string;
}

/** The severities a signature finding can have: the check's own (enforce rules), low (warn), info (audit). */
function signatureSeverities(active: ActiveCheck): Severity[] {
  return [active.severity, ...Object.values(RULE_MODE_SEVERITY).filter((s): s is Severity => s !== undefined)];
}

/** Whether a mode's policy acts on an image-signature finding of this severity. */
export function policyCounts(policy: ModePolicy, severity: Severity): boolean {
  return policy.kind === 'severity' ? atLeast(severity, policy.threshold) : policy.checks.has(IMAGE_SIGNATURE_CHECK);
}

/** The image-signature check when it is on, and the policy could act on one of its findings. */
export function signatureCheck(checks: readonly ActiveCheck[], policy: ModePolicy): ActiveCheck | undefined {
  const active = checks.find((a) => a.check.id === IMAGE_SIGNATURE_CHECK);
  if (!active) return undefined;
  return signatureSeverities(active).some((s) => policyCounts(policy, s)) ? active : undefined;
}

/** A Pod's container images (init, app, ephemeral) that a signature rule covers in its namespace. */
export function coveredImages(pod: K8sObject, covers: (ref: ImageRef, namespace: string | undefined) => boolean): CoveredImage[] {
  if (pod.kind !== 'Pod') return [];
  const view = podSpecOf(pod);
  if (!view) return [];
  const out: CoveredImage[] = [];
  for (const c of containersOf(view)) {
    const img = containerImage(c);
    // A reference that does not parse is image-no-digest's and the runtime's business; nothing to look up.
    if (!img?.ref.ok) continue;
    if (covers(img.ref.value, pod.metadata.namespace)) out.push({ container: c.name, image: img.image, ref: img.ref.value, path: img.path });
  }
  return out;
}

/** The pull secrets a Pod names (the kubelet's credentials for its images). */
export function pullSecretNames(pod: K8sObject): string[] {
  return getArray(getObject(pod.raw, 'spec'), 'imagePullSecrets').flatMap((s) => {
    const n = getString(s, 'name');
    return n !== undefined && n !== '' ? [n] : [];
  });
}

/** The ContainerImage objects of a Pod's covered images, judged against the rules with the evidence gathered. */
export function admissionImages(pod: K8sObject, covered: readonly CoveredImage[], evidence: readonly ImageEvidence[], rules: readonly LoadedRule[]): AdmissionImages {
  const objects = covered.map((c, i) => {
    const ev = evidence[i] ?? { signatures: [], error: 'no evidence', source: 'none' };
    const decision = judgeImage(c.ref, rules, ev, pod.metadata.namespace ?? 'default');
    const view: ContainerImageView = {
      image: c.image,
      name: c.ref.name,
      ...(ev.digest !== undefined ? { digest: ev.digest } : {}),
      ...(ev.resolvedTag !== undefined ? { resolvedTag: ev.resolvedTag } : {}),
      source: ev.source,
      ...(ev.error !== undefined ? { error: ev.error } : {}),
      workload: { apiVersion: pod.apiVersion, kind: pod.kind, ...(pod.metadata.namespace !== undefined ? { namespace: pod.metadata.namespace } : {}), name: pod.metadata.name, container: c.container, path: c.path },
      ...(decision.decision !== 'none' ? { signature: signatureView(decision) } : {}),
    };
    return containerImageObject(view, {}, { type: 'cluster', uri: 'admission' });
  });
  return { objects };
}

/** What the verdicts say beyond findings: who signed what, and what could not be evaluated (with the rule's severity). */
export function verdictNotes(images: AdmissionImages, active: ActiveCheck | undefined): { signers: string[]; unknown: { line: string; severity: Severity }[] } {
  const signers: string[] = [];
  const unknown: { line: string; severity: Severity }[] = [];
  for (const o of images.objects) {
    const v = readContainerImage(o);
    if (!v?.signature) continue;
    const who = `container "${v.workload?.container ?? ''}" image ${v.image}${v.digest !== undefined && !v.image.includes('@') ? `@${v.digest}` : ''}`;
    for (const r of v.signature.verdicts) {
      const severity = RULE_MODE_SEVERITY[r.mode] ?? active?.severity ?? 'high';
      if (r.status === 'verified') signers.push(`${who}: signed by ${r.signer ?? '?'} (rule "${r.rule}")`);
      else if (r.status === 'not-evaluated') unknown.push({ line: `${who}: signature rule "${r.rule}" not evaluated: ${r.detail ?? ''}`, severity });
    }
  }
  return { signers, unknown };
}

/** The highest of severities (for a deadline failure: the worst the check could have found). */
export function highest(list: readonly Severity[]): Severity {
  return SEVERITIES.find((s) => list.includes(s)) ?? 'info';
}
