/**
 * image-base-not-approved (opt-in): the image's OCI annotations name a base image (`org.opencontainers.image.base.name`)
 * outside `approvedBases`, or name none at all.
 */
import { err, ok, type Result } from '../../core/result.js';
import { validImageGlob } from '../../core/image-policy.js';
import { CONTAINER_IMAGE, imageTarget, readContainerImage, workloadIndexEngine } from '../../engines/images/objects.js';
import { imageGlobMatches } from '../../engines/images/policy.js';
import { defineCheck } from '../../framework/define.js';
import { parseImageRef } from '../../model/image.js';

export interface BaseOptions {
  readonly approvedBases: readonly string[];
}

function parseOptions(value: unknown): Result<BaseOptions> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return err('must be a mapping with approvedBases');
  const extra = Object.keys(value).filter((k) => k !== 'approvedBases');
  if (extra.length > 0) return err(`unknown parameter "${extra[0] ?? ''}"`);
  const list = (value as { approvedBases?: unknown }).approvedBases;
  if (!Array.isArray(list) || !list.every((x): x is string => typeof x === 'string' && validImageGlob(x))) return err('approvedBases must be a list of domain/path globs (e.g. gcr.io/distroless/*)');
  return ok({ approvedBases: list });
}

export const imageBaseNotApproved = defineCheck<'notApproved' | 'unknown', BaseOptions>({
  id: 'image-base-not-approved',
  meta: {
    title: 'Image built on a base that is not approved',
    description: 'Teams standardise on a few maintained base images so that patches reach every image by a rebuild. An image on another base, or one that does not say which base it used, escapes that process.',
    severity: 'low',
    category: 'supply-chain',
    reads: ['*'],
    kinds: [CONTAINER_IMAGE],
    messages: {
      notApproved: '{{what}} {{image}} is built on {{base}}, which approvedBases does not list',
      unknown: '{{what}} {{image}} does not name its base image (no org.opencontainers.image.base.name annotation)',
    },
    remediation: 'Rebuild on an approved base, and have the build record it (`docker buildx build --annotation`, or ko/Jib/buildpacks, which write org.opencontainers.image.base.name and .base.digest).',
    references: { urls: ['https://github.com/opencontainers/image-spec/blob/main/annotations.md'] },
    recommended: false,
    options: {
      defaults: { approvedBases: [] },
      parse: parseOptions,
      docs: { approvedBases: 'domain/path globs of approved base images (`*` within a component, `**` across), e.g. `gcr.io/distroless/*`' },
    },
  },
  create(ctx, options) {
    if (options.approvedBases.length === 0) {
      ctx.notEvaluated({ reason: 'missing-input', message: 'image-base-not-approved is enabled but parameters.image-base-not-approved.approvedBases is not set; no image was judged' });
      return {};
    }
    const workloads = ctx.engine(workloadIndexEngine);
    return (obj) => {
      const v = readContainerImage(obj);
      if (!v?.facts) return;
      const what = v.workload ? `container "${v.workload.container}" image` : 'image';
      const target = imageTarget(workloads, obj, v);
      const base = v.facts.baseName;
      if (base === undefined || base === '') {
        ctx.report({ messageId: 'unknown', data: { what, image: v.image }, ...target });
        return;
      }
      const r = parseImageRef(base);
      if (!r.ok || !options.approvedBases.some((g) => imageGlobMatches(g, r.value.name))) ctx.report({ messageId: 'notApproved', data: { what, image: v.image, base }, ...target, evidence: `base ${base}${v.facts.baseDigest !== undefined ? `@${v.facts.baseDigest}` : ''}` });
    };
  },
});
