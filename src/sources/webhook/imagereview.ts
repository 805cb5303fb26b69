/**
 * `imagepolicy.k8s.io/v1alpha1` ImageReview, for clusters that enable the ImagePolicyWebhook admission plugin: the
 * API server sends a Pod's images, its namespace and its `*.image-policy.k8s.io/*` annotations; kspect answers
 * allowed or not, with the reason. The images are judged by the same image checks as `kspect scan` (allowed
 * registries, digest pinning, tag rules), with the same configuration: the review becomes a Pod of those images and
 * goes through the one runner. Pure: the server reads the body.
 */
import type { Finding } from '../../core/finding.js';
import { atLeast, type Severity } from '../../core/severity.js';
import { imageGlobMatches } from '../../engines/images/policy.js';
import { parseImageRef } from '../../model/image.js';
import { runChecks } from '../../framework/runner.js';
import { buildInventory } from '../../model/inventory.js';
import { getArray, getObject, getString, getStringMap, isObject, toK8sObject, type JsonObject, type K8sObject } from '../../model/object.js';
import { signatureCheck, verdictNotes, type AdmissionImages } from './admission-images.js';
import { clip, type ReviewContext } from './review.js';

/** The checks an ImageReview can answer from image references alone. */
export const IMAGE_REVIEW_CHECKS: readonly string[] = ['image-latest-tag', 'image-no-digest', 'image-registry-not-allowed'];

export interface ImageReviewContext {
  /** The checks, configuration and clock of the admission webhook (the image checks among them are used). */
  readonly review?: ReviewContext;
  /** Findings at or above this severity deny (default: medium — a mutable `latest` tag, a registry not allowed). */
  readonly failOn?: Severity;
}

export interface ImageReviewResult {
  readonly ok: true;
  readonly response: { readonly apiVersion: 'imagepolicy.k8s.io/v1alpha1'; readonly kind: 'ImageReview'; readonly status: { readonly allowed: boolean; readonly reason?: string; readonly auditAnnotations?: Readonly<Record<string, string>> } };
  readonly namespace: string;
  readonly images: readonly string[];
}

/** An ImageReview read: its images as the containers of a Pod in the review's namespace. */
export interface ParsedImageReview {
  readonly namespace: string;
  readonly images: readonly string[];
  /** The Pod the review's images make (containers `image-1`, `image-2` …), carrying the review's annotations. */
  readonly pod: K8sObject;
}

/** Read an ImageReview body; `{ok: false}` with one line when it is not one. */
export function parseImageReview(body: unknown): ({ ok: true } & ParsedImageReview) | { ok: false; error: string } {
  if (!isObject(body) || body.apiVersion !== 'imagepolicy.k8s.io/v1alpha1' || body.kind !== 'ImageReview') return { ok: false, error: 'expected apiVersion imagepolicy.k8s.io/v1alpha1, kind ImageReview' };
  const spec = getObject(body, 'spec');
  const containers = getArray(spec, 'containers');
  const images = containers.map((c) => getString(c, 'image') ?? '');
  if (images.some((i) => i === '')) return { ok: false, error: 'spec.containers[].image is missing' };
  const namespace = getString(spec, 'namespace') ?? '';
  const annotations = getStringMap(spec, 'annotations');
  const raw: JsonObject = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'imagereview', ...(namespace !== '' ? { namespace } : {}), annotations },
    spec: { containers: images.map((image, i) => ({ name: `image-${i + 1}`, image })) },
  };
  const pod = toK8sObject(raw, { source: { type: 'cluster', uri: 'imagereview' }, locate: () => undefined });
  if (!pod) return { ok: false, error: 'the review could not be read as a pod' };
  return { ok: true, namespace, images, pod };
}

/** Judge an ImageReview body (without registry evidence: signature rules are said to be not evaluated); `{ok: false}` with one line when it is not one. */
export function reviewImages(body: unknown, ctx: ImageReviewContext): ImageReviewResult | { ok: false; error: string } {
  const parsed = parseImageReview(body);
  return parsed.ok ? judgeImageReview(parsed, ctx) : parsed;
}

/**
 * Judge a read ImageReview. `images`: what the registries said about the images a signature rule covers
 * (admission-images.ts, gathered by signatures.ts); without it, covered images are annotated
 * `signatures-not-evaluated`, never passed as signed.
 */
export function judgeImageReview(parsed: ParsedImageReview, ctx: ImageReviewContext, images?: AdmissionImages): ImageReviewResult {
  const { namespace, images: refs, pod } = parsed;
  const respond = (allowed: boolean, reason: string | undefined, audit: Record<string, string> = {}): ImageReviewResult => ({
    ok: true,
    namespace,
    images: refs,
    response: { apiVersion: 'imagepolicy.k8s.io/v1alpha1', kind: 'ImageReview', status: { allowed, ...(reason !== undefined ? { reason: clip(reason, 3500) } : {}), ...(Object.keys(audit).length > 0 ? { auditAnnotations: audit } : {}) } },
  });
  const review = ctx.review;
  if (!review) return respond(true, undefined);
  const failOn = ctx.failOn ?? 'medium';
  const signature = images ? signatureCheck(review.checks, { kind: 'severity', threshold: failOn, text: failOn }) : undefined;
  const checks = [...review.checks.filter((a) => IMAGE_REVIEW_CHECKS.includes(a.check.id)), ...(signature ? [signature] : [])];
  const report = runChecks({ inventory: buildInventory([pod, ...(signature && images ? images.objects : [])]), checks, settings: { ...review.settings, now: review.clock() }, config: review.config, inputs: ['imagereview'], toolVersion: review.toolVersion, knownCheckIds: review.knownChecks });
  const crashed = report.notEvaluated.filter((n) => n.reason === 'check-error');
  if (crashed.length > 0 && review.failureMode === 'deny') return respond(false, `kspect could not evaluate the images (${crashed.map((n) => n.message).join('; ')}); denied by the failure mode (deny)`);
  const denying = report.findings.filter((f) => atLeast(f.severity, failOn));
  const audit: Record<string, string> = {};
  let unknown: string[] = [];
  if (signature && images) {
    const notes = verdictNotes(images, signature);
    unknown = [...notes.unknown.filter((u) => atLeast(u.severity, failOn)).map((u) => u.line), ...(images.failure !== undefined ? [`image signatures not evaluated: ${images.failure}`] : [])];
    if (notes.signers.length > 0) audit['image-signers'] = clip(notes.signers.join('; '), 2000);
  } else {
    // No registry evidence: signature rules are not evaluated here (kspect images verify checks them); said, never passed.
    const covered = refs.filter((image) => {
      const ref = parseImageRef(image);
      return ref.ok && (review.config.images?.signatures ?? []).some((r) => r.images.some((g) => imageGlobMatches(g, ref.value.name)));
    });
    if (covered.length > 0) audit['signatures-not-evaluated'] = clip(covered.join(','), 2000);
  }
  const where = `image${refs.length === 1 ? '' : 's'} in namespace ${namespace || '(none)'}`;
  if (denying.length > 0) return respond(false, `kspect denied ${where}: ${denying.map(line).join('; ')}`, audit);
  if (unknown.length > 0) {
    const why = `kspect could not verify the signatures of the ${where} (${unknown.join('; ')})`;
    // Never "allowed because unverified" unless the failure mode says so, and then the annotation says why.
    if (review.failureMode === 'deny') return respond(false, `${why}; denied by the failure mode (deny)`, audit);
    audit['signatures-not-evaluated'] = clip(unknown.join('; '), 2000);
  }
  return respond(true, undefined, audit);
}

function line(f: Finding): string {
  return `[${f.checkId}/${f.severity}] ${f.message}`;
}
