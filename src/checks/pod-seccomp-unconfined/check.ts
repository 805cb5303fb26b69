/** pod-seccomp-unconfined: containers that run without a seccomp filter, explicitly or by default. */
import { getBool, getObject, getString, getStringMap } from '../../model/object.js';
import { isWindowsPod } from '../../model/linux-security.js';
import { containersOf, POD_SPEC_KINDS, type ContainerView, type PodSpecView } from '../../model/podspec.js';
import { joinPath } from '../../model/path.js';
import { defineCheck, type RunSettings } from '../../framework/define.js';
import { FieldFindings, podSpecOrNotEvaluated } from '../../framework/field-findings.js';

export const SECCOMP_POD_ANNOTATION = 'seccomp.security.alpha.kubernetes.io/pod';
export const SECCOMP_CONTAINER_ANNOTATION_PREFIX = 'container.seccomp.security.alpha.kubernetes.io/';

type Profile = 'Unconfined' | 'RuntimeDefault' | 'Localhost';
type Message = 'unconfined' | 'unset' | 'legacyUnconfined' | 'legacyIgnored';

interface Setting {
  readonly profile: Profile;
  readonly path: string;
  readonly pod: boolean;
  readonly annotation: boolean;
}

function fieldProfile(v: unknown): Profile | undefined {
  const t = getString(v, 'type');
  return t === 'Unconfined' || t === 'RuntimeDefault' || t === 'Localhost' ? t : undefined;
}

/** The legacy annotation values: `unconfined`, `runtime/default`, `docker/default`, `localhost/<file>`. */
function annotationProfile(v: string | undefined): Profile | undefined {
  if (v === undefined) return undefined;
  if (v === 'unconfined') return 'Unconfined';
  if (v === 'runtime/default' || v === 'docker/default') return 'RuntimeDefault';
  if (v.startsWith('localhost/')) return 'Localhost';
  return undefined;
}

/**
 * Kubernetes before v1.25 applied the legacy annotations (v1.25 and v1.26 still copied them into the
 * fields when a pod was created); since v1.27 they do nothing. Without a target version we assume a
 * current cluster.
 */
export function legacyAnnotationsApply(settings: RunSettings): boolean {
  const m = /^1\.(\d+)$/.exec(settings.k8sVersion ?? '');
  return m?.[1] !== undefined && Number(m[1]) < 27;
}

export const podSeccompUnconfined = defineCheck({
  id: 'pod-seccomp-unconfined',
  meta: {
    title: 'Seccomp unconfined',
    description:
      "Seccomp filters the system calls a container may make. The runtime's default profile blocks about fifty rarely needed, often exploited ones (unshare, keyctl, bpf, mount, kexec_load, …); without it every kernel bug reachable through a system call is reachable from the container. Kubernetes runs containers Unconfined unless a profile is set or the kubelet enables `seccompDefault`. The baseline Pod Security Standard forbids Unconfined; restricted requires RuntimeDefault or Localhost.",
    severity: 'medium',
    category: 'workload',
    kinds: POD_SPEC_KINDS,
    messages: {
      unconfined: '{{level}}seccompProfile Unconfined runs {{who}} without a seccomp filter',
      unset: 'container "{{container}}" has no seccomp profile: it runs unconfined unless the kubelet enables seccompDefault',
      legacyUnconfined: 'the legacy annotation {{annotation}}: unconfined asks for {{who}} to run without a seccomp filter',
      legacyIgnored:
        'only the legacy annotation {{annotation}} sets a seccomp profile for {{who}}, and Kubernetes ignores it since v1.27: the container runs unconfined unless the kubelet enables seccompDefault',
    } satisfies Record<Message, string>,
    remediation:
      'Set `securityContext.seccompProfile.type: RuntimeDefault` (or `Localhost` with a profile file) at pod level, and remove `Unconfined` and the legacy `seccomp.security.alpha.kubernetes.io` annotations. Consider enabling `seccompDefault` on every kubelet.',
    references: {
      pss: ['seccompProfile_baseline', 'seccompProfile_restricted'],
      cis: ['5.6.2'],
      nsa: ['Pod security: hardening container environments'],
      mitre: ['T1611', 'T1068'],
      urls: ['https://kubernetes.io/docs/tutorials/security/seccomp/'],
    },
    recommended: true,
  },
  create(ctx) {
    const legacy = legacyAnnotationsApply(ctx.settings);
    return (obj) => {
      const view = podSpecOrNotEvaluated(ctx, obj);
      // Seccomp is Linux-only.
      if (!view || isWindowsPod(view)) return;
      const annotations = getStringMap(view.metadata, 'annotations');
      const out = new FieldFindings<Message>();
      for (const c of containersOf(view)) {
        // Privileged containers are never filtered, whatever the profile; pod-privileged reports them.
        if (getBool(getObject(c.container, 'securityContext'), 'privileged') === true) continue;
        const chain = settingsOf(view, c, annotations);
        const effective = chain.find((s) => legacy || !s.annotation);
        if (effective?.profile === 'Unconfined') {
          out.add({ messageId: effective.annotation ? 'legacyUnconfined' : 'unconfined', container: c.name, path: effective.path, pod: effective.pod, data: { annotation: annotationKey(effective, c) } });
        } else if (effective === undefined) {
          // No field applies: an annotation may still say something, but has no effect on a current cluster.
          const note = chain.find((s) => s.annotation);
          if (note?.profile === 'Unconfined') {
            out.add({ messageId: 'legacyUnconfined', container: c.name, path: note.path, pod: note.pod, data: { annotation: annotationKey(note, c) } });
          } else if (note) {
            out.add({ messageId: 'legacyIgnored', container: c.name, path: note.path, pod: note.pod, severity: 'low', data: { annotation: annotationKey(note, c) } });
          } else {
            out.add({ messageId: 'unset', container: c.name, path: c.path, severity: 'low' });
          }
        }
      }
      out.report(ctx, obj);
    };
  },
});

function annotationKey(s: Setting, c: ContainerView): string {
  return s.pod ? SECCOMP_POD_ANNOTATION : SECCOMP_CONTAINER_ANNOTATION_PREFIX + c.name;
}

/** Every place that sets this container's profile, most specific first. */
function settingsOf(view: PodSpecView, c: ContainerView, annotations: Readonly<Record<string, string>>): Setting[] {
  const out: Setting[] = [];
  const own = fieldProfile(getObject(getObject(c.container, 'securityContext'), 'seccompProfile'));
  if (own) out.push({ profile: own, path: joinPath(c.path, 'securityContext', 'seccompProfile', 'type'), pod: false, annotation: false });
  const ownKey = SECCOMP_CONTAINER_ANNOTATION_PREFIX + c.name;
  const ownAnn = annotationProfile(annotations[ownKey]);
  if (ownAnn) out.push({ profile: ownAnn, path: joinPath(view.metadataPath, 'annotations', ownKey), pod: false, annotation: true });
  const pod = fieldProfile(getObject(getObject(view.spec, 'securityContext'), 'seccompProfile'));
  if (pod) out.push({ profile: pod, path: joinPath(view.path, 'securityContext', 'seccompProfile', 'type'), pod: true, annotation: false });
  const podAnn = annotationProfile(annotations[SECCOMP_POD_ANNOTATION]);
  if (podAnn) out.push({ profile: podAnn, path: joinPath(view.metadataPath, 'annotations', SECCOMP_POD_ANNOTATION), pod: true, annotation: true });
  return out;
}
