/** pod-selinux-custom: SELinux options that replace the runtime's container confinement with a custom label. */
import type { Severity } from '../../core/severity.js';
import { getObject, getString, type JsonObject } from '../../model/object.js';
import { isWindowsPod } from '../../model/linux-security.js';
import { containersOf, POD_SPEC_KINDS } from '../../model/podspec.js';
import { joinPath } from '../../model/path.js';
import { defineCheck } from '../../framework/define.js';
import { FieldFindings, podSpecOrNotEvaluated, quoteList } from '../../framework/field-findings.js';

/** The types the Pod Security Standards allow (v1.31 added container_engine_t). */
export const ALLOWED_SELINUX_TYPES: ReadonlySet<string> = new Set(['', 'container_t', 'container_init_t', 'container_kvm_t', 'container_engine_t']);
/** Types that are not confined at all. */
const UNCONFINED_TYPES = /^(spc_t|unconfined_t|kernel_t|.*_unconfined_t)$/;

type Message = 'type' | 'user' | 'role';

export const podSelinuxCustom = defineCheck({
  id: 'pod-selinux-custom',
  meta: {
    title: 'Custom SELinux options',
    description:
      'On SELinux hosts the runtime labels each container `container_t` with a unique category pair, which keeps it away from host files and from other containers. A custom type replaces that confinement — `spc_t` ("super privileged container") or `unconfined_t` removes it entirely — and a custom SELinux user or role can grant more than containers are meant to have. The baseline Pod Security Standard allows only the container types and forbids user and role.',
    severity: 'medium',
    category: 'workload',
    kinds: POD_SPEC_KINDS,
    messages: {
      type: '{{level}}seLinuxOptions.type {{value}} gives {{applies}} a custom SELinux type{{unconfined}}',
      user: '{{level}}seLinuxOptions.user {{value}} gives {{applies}} a custom SELinux user',
      role: '{{level}}seLinuxOptions.role {{value}} gives {{applies}} a custom SELinux role',
    } satisfies Record<Message, string>,
    remediation:
      'Remove `seLinuxOptions.type`, `.user` and `.role` (setting only `level` is fine), or use one of the container types: container_t, container_init_t, container_kvm_t, container_engine_t.',
    references: {
      pss: ['seLinuxOptions'],
      cis: ['5.6.3'],
      nsa: ['Pod security: hardening container environments'],
      mitre: ['T1611', 'T1562.001'],
      urls: ['https://kubernetes.io/docs/tasks/configure-pod-container/security-context/#assign-selinux-labels-to-a-container'],
    },
    recommended: true,
  },
  create(ctx) {
    return (obj) => {
      const view = podSpecOrNotEvaluated(ctx, obj);
      // SELinux options cannot be set on Windows pods.
      if (!view || isWindowsPod(view)) return;
      const out = new FieldFindings<Message>();
      // Pod-level options label the pod sandbox and decide how its volumes are relabelled, and are
      // inherited by every container without options of its own: they count even when every container
      // brings its own.
      const podOpts = getObject(getObject(view.spec, 'securityContext'), 'seLinuxOptions');
      const containers = containersOf(view);
      if (podOpts) {
        const inheritors = containers.filter((c) => !getObject(getObject(c.container, 'securityContext'), 'seLinuxOptions')).map((c) => c.name);
        const applies = `the pod sandbox and its volumes${inheritors.length > 0 ? ` and ${inheritors.length > 1 ? 'containers' : 'container'} ${quoteList(inheritors)}` : ''}`;
        judge(out, podOpts, joinPath(view.path, 'securityContext', 'seLinuxOptions'), '', applies, true);
      }
      for (const c of containers) {
        // The kubelet takes a container's seLinuxOptions as a whole when it has them.
        const own = getObject(getObject(c.container, 'securityContext'), 'seLinuxOptions');
        if (own) judge(out, own, joinPath(c.path, 'securityContext', 'seLinuxOptions'), c.name, `container "${c.name}"`, false);
      }
      out.report(ctx, obj);
    };
  },
});

function judge(out: FieldFindings<Message>, opts: JsonObject, path: string, container: string, applies: string, pod: boolean): void {
  const type = getString(opts, 'type') ?? '';
  if (!ALLOWED_SELINUX_TYPES.has(type)) {
    const unconfined = UNCONFINED_TYPES.test(type);
    const severity: Severity = unconfined ? 'high' : 'medium';
    out.add({ messageId: 'type', container, pod, severity, path: joinPath(path, 'type'), data: { value: type, applies, unconfined: unconfined ? ', which is not confined by SELinux at all' : '' } });
  }
  for (const field of ['user', 'role'] as const) {
    const v = getString(opts, field) ?? '';
    if (v !== '') out.add({ messageId: field, container, pod, path: joinPath(path, field), data: { value: v, applies } });
  }
}
