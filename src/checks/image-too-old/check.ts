/** image-too-old (opt-in): images whose config says they were built more than `maxAgeDays` ago. */
import { counted } from '../../core/text.js';
import { err, ok, type Result } from '../../core/result.js';
import { CONTAINER_IMAGE, imageTarget, readContainerImage, workloadIndexEngine } from '../../engines/images/objects.js';
import { defineCheck } from '../../framework/define.js';

export interface AgeOptions {
  readonly maxAgeDays: number;
}

function parseOptions(value: unknown): Result<AgeOptions> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return err('must be a mapping with maxAgeDays');
  const extra = Object.keys(value).filter((k) => k !== 'maxAgeDays');
  if (extra.length > 0) return err(`unknown parameter "${extra[0] ?? ''}"`);
  const n = (value as { maxAgeDays?: unknown }).maxAgeDays;
  if (typeof n !== 'number' || !Number.isInteger(n) || n <= 0) return err('maxAgeDays must be a positive whole number');
  return ok({ maxAgeDays: n });
}

const DAY_MS = 86_400_000;

export const imageTooOld = defineCheck<'old', AgeOptions>({
  id: 'image-too-old',
  meta: {
    title: 'Image older than allowed',
    description: 'An image not rebuilt for months carries every vulnerability fixed in its base and packages since. Its age (the config\'s `created` time) is a cheap proxy for patch level when no scan result is at hand.',
    severity: 'low',
    category: 'supply-chain',
    reads: ['*'],
    kinds: [CONTAINER_IMAGE],
    messages: {
      old: '{{what}} {{image}} was built {{days}} ago ({{created}}), more than {{max}}',
    },
    remediation: 'Rebuild images regularly (e.g. weekly) so base-image and package fixes arrive, and redeploy.',
    references: { nsa: ['Pod security: container images'] },
    recommended: false,
    options: { defaults: { maxAgeDays: 180 }, parse: parseOptions, docs: { maxAgeDays: 'largest age of an image, in days, from its config `created` time (default 180)' } },
  },
  create(ctx, options) {
    const workloads = ctx.engine(workloadIndexEngine);
    const now = ctx.settings.now.getTime();
    return (obj) => {
      const v = readContainerImage(obj);
      const created = v?.facts?.created;
      if (!v || created === undefined) return;
      const t = Date.parse(created);
      if (!Number.isFinite(t)) return;
      const days = Math.floor((now - t) / DAY_MS);
      // Reproducible builds stamp 1970-01-01: that is no build date, not an old image.
      if (t <= 0 || days <= options.maxAgeDays) return;
      const what = v.workload ? `container "${v.workload.container}" image` : 'image';
      ctx.report({ messageId: 'old', data: { what, image: v.image, days: counted(days, 'day'), created, max: options.maxAgeDays }, ...imageTarget(workloads, obj, v), evidence: `config.created ${created}` });
    };
  },
});
