/**
 * image-signed (information): which key or identity signed each image a signature rule covers, and where the signature
 * was found — the positive half of `kspect images verify`, so the report lists every image with its result.
 */
import { CONTAINER_IMAGE, imageTarget, readContainerImage, workloadIndexEngine } from '../../engines/images/objects.js';
import { defineCheck } from '../../framework/define.js';

const VIA: Readonly<Record<string, string>> = { 'referrers-api': 'OCI referrer', 'referrers-tag': 'referrers tag', 'legacy-tag': 'legacy .sig tag', layout: 'OCI layout' };

export const imageSigned = defineCheck({
  id: 'image-signed',
  meta: {
    title: 'Image signature verified',
    description: 'The image\'s digest carries a signature by a key or keyless identity that a signature rule trusts. Listed so that a report shows, for every covered image, who signed what runs.',
    severity: 'info',
    category: 'supply-chain',
    reads: ['*'],
    kinds: [CONTAINER_IMAGE],
    messages: {
      signed: '{{what}} {{image}} ({{digest}}) is signed by {{signer}} ({{via}}), as rule "{{rule}}" requires',
    },
    remediation: 'Nothing to fix: keep signing in CI and referencing images by digest.',
    references: { urls: ['https://docs.sigstore.dev/cosign/verifying/verify/'] },
    recommended: true,
  },
  create(ctx) {
    const workloads = ctx.engine(workloadIndexEngine);
    return (obj) => {
      const v = readContainerImage(obj);
      if (!v?.signature) return;
      const target = imageTarget(workloads, obj, v);
      const what = v.workload ? `container "${v.workload.container}" image` : 'image';
      for (const r of v.signature.verdicts) {
        if (r.status !== 'verified') continue;
        ctx.report({ messageId: 'signed', data: { what, image: v.image, digest: v.digest ?? '', signer: r.signer ?? '', via: VIA[r.via ?? ''] ?? r.via ?? '', rule: r.rule }, ...target, evidence: v.source });
      }
    };
  },
});
