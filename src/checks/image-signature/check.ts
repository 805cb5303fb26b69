/**
 * image-signature: images that a signature rule of `.kspect.yaml` covers but that are not signed by a key or keyless
 * identity the rule trusts — unsigned, signed by someone else (or tampered), or signing another digest. What could not
 * be read (registry down, forbidden) is not evaluated, never passed. Reads the ContainerImage objects of `images verify`.
 */
import type { Severity } from '../../core/severity.js';
import { CONTAINER_IMAGE, imageTarget, readContainerImage, workloadIndexEngine } from '../../engines/images/objects.js';
import { defineCheck } from '../../framework/define.js';

/** The severity of a finding under a rule in warn or audit mode (enforce: the check's own). */
export const RULE_MODE_SEVERITY: Readonly<Record<string, Severity | undefined>> = { warn: 'low', audit: 'info' };

export const imageSignature = defineCheck({
  id: 'image-signature',
  meta: {
    title: 'Image not signed by a trusted key',
    description:
      'Only a signature by a key (or keyless identity) the team trusts proves where an image came from and that nobody changed it since: a registry account taken over, a compromised CI job or a typo-squatted name all produce images that run just as well. The signature must be over this image\'s digest — a valid signature of other content proves nothing about what runs.',
    severity: 'high',
    category: 'supply-chain',
    reads: ['*'],
    kinds: [CONTAINER_IMAGE],
    messages: {
      unsigned: '{{what}} {{image}}{{digest}} is not signed; rule "{{rule}}" requires a signature',
      untrusted: '{{what}} {{image}}{{digest}} has signatures, but none by a key or identity rule "{{rule}}" trusts: {{detail}}',
      digestMismatch: '{{what}} {{image}}{{digest}} carries a signature of other content: {{detail}}',
      referenceMismatch: '{{what}} {{image}}{{digest}} has a trusted signature made for another repository: {{detail}}',
    },
    remediation: 'Sign the image digest in CI with `cosign sign --key <key> <image>@<digest>` (or keyless), reference images by digest, and enforce the rule at admission; if the key is right, add it to the rule\'s `keys` in `.kspect.yaml`.',
    references: {
      nsa: ['Pod security: container images', 'Supply chain: image signing'],
      mitre: ['T1204.003', 'T1525'],
      urls: ['https://docs.sigstore.dev/cosign/verifying/verify/', 'https://github.com/opencontainers/distribution-spec/blob/main/spec.md#listing-referrers'],
    },
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
        // The digest the tag resolved to; an image pinned by that digest already says it (messages stay short enough for
        // a kubectl warning's 256 characters to reach the reason).
        const digest = v.digest === undefined ? ' (digest unknown)' : v.image.endsWith(`@${v.digest}`) ? '' : ` (${v.digest})`;
        const data = { what, image: v.image, digest, rule: r.rule, detail: r.detail ?? '' };
        const severity = RULE_MODE_SEVERITY[r.mode];
        const base = { ...target, ...(severity ? { severity } : {}), evidence: `${v.source}${v.resolvedTag !== undefined ? `; tag ${v.resolvedTag} resolved to ${v.digest ?? '?'}` : ''}` };
        if (r.status === 'not-evaluated') {
          ctx.notEvaluated({ reason: 'not-readable', ...('object' in target ? { object: target.object } : { resource: target.resource, source: target.source }), message: `${what} ${v.image}: signature rule "${r.rule}" not evaluated: ${r.detail ?? ''}` });
        } else if (r.status === 'unsigned') ctx.report({ messageId: 'unsigned', data, ...base });
        else if (r.status === 'rejected') ctx.report({ messageId: r.problem === 'digest-mismatch' ? 'digestMismatch' : r.problem === 'reference-mismatch' ? 'referenceMismatch' : 'untrusted', data, ...base });
      }
    };
  },
});
