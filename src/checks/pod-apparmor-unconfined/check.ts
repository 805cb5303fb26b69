/** pod-apparmor-unconfined: containers that opt out of AppArmor confinement. */
import { getBool, getObject, getString, getStringMap } from '../../model/object.js';
import { isWindowsPod } from '../../model/linux-security.js';
import { containersOf, POD_SPEC_KINDS } from '../../model/podspec.js';
import { joinPath } from '../../model/path.js';
import { defineCheck } from '../../framework/define.js';
import { FieldFindings, podSpecOrNotEvaluated } from '../../framework/field-findings.js';

export const APPARMOR_ANNOTATION_PREFIX = 'container.apparmor.security.beta.kubernetes.io/';

type Message = 'unconfined' | 'annotation';
type Profile = 'confined' | 'unconfined';

export const podApparmorUnconfined = defineCheck({
  id: 'pod-apparmor-unconfined',
  meta: {
    title: 'AppArmor unconfined',
    description:
      "On nodes with AppArmor, the container runtime confines every container with its default profile, which denies writes to /proc and /sys, mounting, and access to many kernel interfaces. An Unconfined profile removes that layer, and several known container escapes (cgroup release_agent, core_pattern) only work without it. The baseline Pod Security Standard forbids it.",
    severity: 'medium',
    category: 'workload',
    kinds: POD_SPEC_KINDS,
    messages: {
      unconfined: '{{level}}appArmorProfile Unconfined runs {{who}} without AppArmor confinement',
      annotation: 'the annotation {{annotation}}: unconfined runs container "{{container}}" without AppArmor confinement',
    } satisfies Record<Message, string>,
    remediation:
      'Remove `appArmorProfile: {type: Unconfined}` and `container.apparmor.security.beta.kubernetes.io/<name>: unconfined`; leave the runtime default profile in place or set `appArmorProfile.type: Localhost` with a profile loaded on the nodes.',
    references: {
      pss: ['appArmorProfile'],
      cis: ['5.6.3'],
      nsa: ['Pod security: hardening container environments'],
      mitre: ['T1611', 'T1562.001'],
      urls: ['https://kubernetes.io/docs/tutorials/security/apparmor/'],
    },
    recommended: true,
  },
  create(ctx) {
    return (obj) => {
      const view = podSpecOrNotEvaluated(ctx, obj);
      // AppArmor is Linux-only.
      if (!view || isWindowsPod(view)) return;
      const annotations = getStringMap(view.metadata, 'annotations');
      const podType = profileOfField(getObject(getObject(view.spec, 'securityContext'), 'appArmorProfile'));
      const out = new FieldFindings<Message>();
      for (const c of containersOf(view)) {
        const sc = getObject(c.container, 'securityContext');
        // The runtimes never apply AppArmor to privileged containers; pod-privileged reports them.
        if (getBool(sc, 'privileged') === true) continue;
        // The container's field, else its annotation (which the API server copies into the field), else the pod's field.
        const own = profileOfField(getObject(sc, 'appArmorProfile'));
        if (own !== undefined) {
          if (own === 'unconfined') out.add({ messageId: 'unconfined', container: c.name, path: joinPath(c.path, 'securityContext', 'appArmorProfile', 'type') });
          continue;
        }
        const key = APPARMOR_ANNOTATION_PREFIX + c.name;
        const ann = profileOfAnnotation(annotations[key]);
        if (ann !== undefined) {
          if (ann === 'unconfined') out.add({ messageId: 'annotation', container: c.name, path: joinPath(view.metadataPath, 'annotations', key), data: { annotation: key } });
          continue;
        }
        if (podType === 'unconfined') out.add({ messageId: 'unconfined', container: c.name, pod: true, path: joinPath(view.path, 'securityContext', 'appArmorProfile', 'type') });
      }
      out.report(ctx, obj);
    };
  },
});

function profileOfField(v: unknown): Profile | undefined {
  const t = getString(v, 'type');
  if (t === 'Unconfined') return 'unconfined';
  if (t === 'RuntimeDefault' || t === 'Localhost') return 'confined';
  return undefined;
}

/** Annotation values: `runtime/default`, `localhost/<profile>`, `unconfined`. */
function profileOfAnnotation(v: string | undefined): Profile | undefined {
  if (v === undefined || v === '') return undefined;
  if (v === 'unconfined') return 'unconfined';
  if (v === 'runtime/default' || v.startsWith('localhost/')) return 'confined';
  return undefined;
}
