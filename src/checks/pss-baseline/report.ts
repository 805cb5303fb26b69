/** Shared by pss-baseline and pss-restricted: one finding per object and violated control. */
import type { PssJudgement, PssViolation } from '../../engines/pss/index.js';
import type { K8sObject } from '../../model/object.js';
import type { CheckContext } from '../../framework/define.js';

const IN_CONTAINER = /(^|\.)(initContainers|containers|ephemeralContainers)\[\d+\]/;

export function reportPssViolations(ctx: CheckContext<'violation'>, obj: K8sObject, judgement: PssJudgement, violations: readonly PssViolation[], policy: string): void {
  const { malformed } = judgement.evaluation;
  if (malformed.length > 0 && judgement.evaluation.level !== 'privileged')
    ctx.notEvaluated({
      reason: 'unsupported',
      object: obj,
      message: `fields of the wrong type (${malformed.map((m) => `${m.path}: expected ${m.expected}`).join('; ')}): the API server would reject this object before Pod Security admission, so its decision is uncertain`,
    });
  for (const v of violations) {
    // Name the container only when the finding points into it (not at a pod-level field that would fix it).
    const container = v.containers.length === 1 && IN_CONTAINER.test(v.paths[0] ?? '') ? v.containers[0] : undefined;
    ctx.report({
      messageId: 'violation',
      data: { check: v.check, control: v.control, detail: v.detail, policy },
      object: obj,
      ...(v.paths[0] !== undefined ? { path: v.paths[0] } : {}),
      ...(container !== undefined ? { container } : {}),
      ...(v.paths.length > 1 ? { evidence: `fields: ${v.paths.join(', ')}` } : {}),
      references: { pss: [v.check] },
    });
  }
}
