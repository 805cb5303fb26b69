/**
 * pss-baseline: Pods and workloads that break a control of the Pod Security Standards' baseline level,
 * judged at the level and version their namespace enforces, exactly as the PodSecurity admission controller would.
 */
import { POD_SPEC_KINDS } from '../../model/podspec.js';
import { describeJudgement, pssEngineFactory } from '../../engines/pss/index.js';
import { defineCheck } from '../../framework/define.js';
import { reportPssViolations } from './report.js';

export const pssBaseline = defineCheck({
  id: 'pss-baseline',
  meta: {
    title: 'Pod Security Standards: baseline control violated',
    description:
      'The baseline level of the Pod Security Standards prevents known privilege escalations: host namespaces, privileged containers, added capabilities, hostPath volumes, host ports, probe hosts, AppArmor/SELinux/seccomp overrides, unmasked /proc, unsafe sysctls and Windows HostProcess. A workload that breaks one of these controls can usually take over its node. Each object is judged at the level and policy version its namespace enforces (`pod-security.kubernetes.io/enforce` and `enforce-version`, when the Namespace is in the input) or at the default (`--pss-level`, `--pss-version`, restricted/latest), with the same rules as the admission controller; an object that admission would allow yields nothing.',
    severity: 'high',
    category: 'pod-security',
    reads: ['Namespace'],
    kinds: POD_SPEC_KINDS,
    messages: { violation: '{{check}} ({{control}}): {{detail}}; denied by {{policy}}' },
    remediation:
      'Remove the forbidden setting named in the finding (host namespaces, privileged, added capabilities beyond the default set, hostPath volumes, hostPort, probe/lifecycle host, AppArmor/SELinux/seccomp overrides, procMount, unsafe sysctls, hostProcess). Run `kspect pss check --level baseline FILE` to see every violation of an object at once.',
    references: {
      pss: ['baseline'],
      nsa: ['Pod security'],
      mitre: ['T1611'],
      urls: ['https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline', 'https://kubernetes.io/docs/concepts/security/pod-security-admission/'],
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
      // At restricted, the baseline evaluation says which problems break the baseline too.
      const violations = evaluation.allowed ? [] : evaluation.level === 'baseline' ? evaluation.violations : (judgement.baseline?.violations ?? []);
      reportPssViolations(ctx, obj, judgement, violations, describeJudgement(obj.metadata.namespace, judgement));
    };
  },
});
