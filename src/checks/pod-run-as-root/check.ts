/** pod-run-as-root: containers that run, or may run, as the root user (or the root group). */
import { getObject, getString } from '../../model/object.js';
import { effectiveField, isWindowsPod, usesUserNamespace, type EffectiveValue } from '../../model/linux-security.js';
import { containersOf, POD_SPEC_KINDS, type ContainerView, type PodSpecView } from '../../model/podspec.js';
import { joinPath } from '../../model/path.js';
import { defineCheck } from '../../framework/define.js';
import { FieldFindings, podSpecOrNotEvaluated } from '../../framework/field-findings.js';

type Message = 'uidZero' | 'nonRootFalse' | 'unknown' | 'gidZero' | 'windowsAdmin' | 'windowsUnknown';

export const podRunAsRoot = defineCheck({
  id: 'pod-run-as-root',
  meta: {
    title: 'Container runs as root',
    description:
      'A process running as UID 0 in a container is root on the host for everything the container can reach: host paths, devices, kernel interfaces left open, and any escape turns into full node compromise. When neither `runAsNonRoot: true` nor a non-zero `runAsUser` is set, the image decides the user, and most images default to root. The restricted Pod Security Standard requires `runAsNonRoot: true` and forbids `runAsUser: 0`.',
    severity: 'medium',
    category: 'workload',
    kinds: POD_SPEC_KINDS,
    messages: {
      uidZero: '{{level}}runAsUser 0 makes {{who}} run as root',
      nonRootFalse: '{{level}}runAsNonRoot: false and no runAsUser: the image decides the user of {{who}}, which may be root',
      unknown: 'container "{{container}}" sets neither runAsNonRoot: true nor a non-zero runAsUser: the image decides its user, which may be root',
      gidZero: '{{level}}runAsGroup 0 makes {{who}} run with the root group',
      windowsAdmin: '{{level}}runAsUserName ContainerAdministrator makes {{who}} run as the container administrator',
      windowsUnknown: 'container "{{container}}" sets neither runAsNonRoot: true nor a runAsUserName: the image decides its user, which may be ContainerAdministrator',
    } satisfies Record<Message, string>,
    remediation:
      'Set `runAsNonRoot: true` and a non-zero `runAsUser` (and `runAsGroup`) in the pod securityContext, and build the image with a numeric non-root `USER`. Where root inside the container is unavoidable, run the pod in a user namespace (`hostUsers: false`).',
    references: {
      pss: ['runAsNonRoot', 'runAsUser'],
      cis: ['5.2.7'],
      nsa: ['Pod security: non-root containers and rootless container engines'],
      mitre: ['T1611', 'T1068'],
      urls: ['https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted'],
    },
    recommended: true,
  },
  create(ctx) {
    return (obj) => {
      const view = podSpecOrNotEvaluated(ctx, obj);
      // In a user namespace container root maps to an unprivileged host user; PSS relaxes these controls there too.
      if (!view || usesUserNamespace(view)) return;
      const out = new FieldFindings<Message>();
      const windows = isWindowsPod(view);
      for (const c of containersOf(view)) {
        if (windows) judgeWindows(out, view, c);
        else judgeLinux(out, view, c);
      }
      out.report(ctx, obj);
    };
  },
});

function verdictAt(v: EffectiveValue<unknown>): { path: string; pod: boolean } {
  return { path: v.path, pod: v.level === 'pod' };
}

function judgeLinux(out: FieldFindings<Message>, view: PodSpecView, c: ContainerView): void {
  const uid = effectiveField(view, c, 'runAsUser');
  if (uid?.value === 0) {
    out.add({ messageId: 'uidZero', container: c.name, ...verdictAt(uid) });
  } else if (typeof uid?.value !== 'number') {
    const nonRoot = effectiveField(view, c, 'runAsNonRoot');
    if (nonRoot?.value === false) out.add({ messageId: 'nonRootFalse', container: c.name, severity: 'low', ...verdictAt(nonRoot) });
    else if (nonRoot?.value !== true) out.add({ messageId: 'unknown', container: c.name, severity: 'low', path: c.path });
  }
  const gid = effectiveField(view, c, 'runAsGroup');
  if (gid?.value === 0) out.add({ messageId: 'gidZero', container: c.name, severity: 'low', ...verdictAt(gid) });
}

/** Windows: the user is `windowsOptions.runAsUserName`; runAsNonRoot makes the kubelet refuse ContainerAdministrator. */
function judgeWindows(out: FieldFindings<Message>, view: PodSpecView, c: ContainerView): void {
  const own = getString(getObject(getObject(c.container, 'securityContext'), 'windowsOptions'), 'runAsUserName');
  const inherited = getString(getObject(getObject(view.spec, 'securityContext'), 'windowsOptions'), 'runAsUserName');
  const user =
    own !== undefined
      ? { name: own, path: joinPath(c.path, 'securityContext', 'windowsOptions', 'runAsUserName'), pod: false }
      : inherited !== undefined
        ? { name: inherited, path: joinPath(view.path, 'securityContext', 'windowsOptions', 'runAsUserName'), pod: true }
        : undefined;
  if (user && user.name.toLowerCase() === 'containeradministrator') {
    out.add({ messageId: 'windowsAdmin', container: c.name, path: user.path, pod: user.pod });
    return;
  }
  if (user) return;
  const nonRoot = effectiveField(view, c, 'runAsNonRoot');
  if (nonRoot?.value === false) out.add({ messageId: 'nonRootFalse', container: c.name, severity: 'low', ...verdictAt(nonRoot) });
  else if (nonRoot?.value !== true) out.add({ messageId: 'windowsUnknown', container: c.name, severity: 'low', path: c.path });
}
