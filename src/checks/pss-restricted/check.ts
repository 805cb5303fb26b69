/**
 * pss-restricted: Pods and workloads in namespaces that enforce the restricted level of the Pod Security
 * Standards and break a control only that level adds (non-root, seccomp, dropped capabilities, no privilege
 * escalation, restricted volume types), judged exactly as the PodSecurity admission controller would.
 */
import { POD_SPEC_KINDS } from '../../model/podspec.js';
import { describeJudgement, pssEngineFactory } from '../../engines/pss/index.js';
import { defineCheck } from '../../framework/define.js';
import { reportPssViolations } from '../pss-baseline/report.js';

export const pssRestricted = defineCheck({
  id: 'pss-restricted',
  meta: {
    title: 'Pod Security Standards: restricted control violated',
    description:
      'The restricted level of the Pod Security Standards adds pod-hardening best practice on top of the baseline: containers must run as non-root, must not allow privilege escalation, must drop ALL capabilities (adding back only NET_BIND_SERVICE), must use the RuntimeDefault or a Localhost seccomp profile, and may only use configMap, csi, downwardAPI, emptyDir, ephemeral, image, persistentVolumeClaim, projected and secret volumes. Reported for objects whose namespace enforces restricted (or, without namespace labels, when the default level is restricted), at that policy version, as the admission controller decides; Windows pods and pods in user namespaces get the exemptions their policy version gives them.',
    severity: 'medium',
    category: 'pod-security',
    reads: ['Namespace'],
    kinds: POD_SPEC_KINDS,
    messages: { violation: '{{check}} ({{control}}): {{detail}}; denied by {{policy}}' },
    remediation:
      'Set `securityContext.runAsNonRoot: true` and `seccompProfile.type: RuntimeDefault` on the pod, and `allowPrivilegeEscalation: false` and `capabilities.drop: ["ALL"]` on every container; replace restricted volume types with a PersistentVolumeClaim. Run `kspect pss check --level restricted FILE` to see every violation of an object at once.',
    references: {
      pss: ['restricted'],
      nsa: ['Pod security'],
      urls: ['https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted', 'https://kubernetes.io/docs/concepts/security/pod-security-admission/'],
    },
    recommended: true,
    umbrella: true,
  },
  create(ctx) {
    const engine = ctx.engine(pssEngineFactory);
    return (obj) => {
      const judgement = engine.judge(obj);
      if (!judgement) return;
      const { evaluation } = judgement;
      const violations = evaluation.allowed || evaluation.level !== 'restricted' ? [] : evaluation.violations.filter((v) => v.level === 'restricted');
      reportPssViolations(ctx, obj, judgement, violations, describeJudgement(obj.metadata.namespace, judgement));
    };
  },
});
