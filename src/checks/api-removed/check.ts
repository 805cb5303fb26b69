/**
 * api-removed: objects written against API versions that Kubernetes no longer serves
 * (PodSecurityPolicy, extensions/v1beta1, apps/v1beta1/2, batch/v1beta1 CronJob, …), with the
 * release that removed each one and its replacement.
 */
import { defineCheck } from '../../framework/define.js';

interface Removal {
  /** Minor version of Kubernetes 1.x that stopped serving it. */
  readonly removedIn: number;
  readonly replacement: string;
}

const PSA = 'Pod Security Admission (namespace labels pod-security.kubernetes.io/*) or a policy engine';

/** `apiVersion kind` → removal; from the Kubernetes deprecated API migration guide. */
export const REMOVED_APIS: ReadonlyMap<string, Removal> = new Map(
  (
    [
      // v1.16
      ['extensions/v1beta1', ['DaemonSet', 'Deployment', 'ReplicaSet'], 16, 'apps/v1'],
      ['extensions/v1beta1', ['NetworkPolicy'], 16, 'networking.k8s.io/v1'],
      ['extensions/v1beta1', ['PodSecurityPolicy'], 16, PSA],
      ['apps/v1beta1', ['Deployment', 'StatefulSet', 'ReplicaSet', 'ControllerRevision'], 16, 'apps/v1'],
      ['apps/v1beta2', ['DaemonSet', 'Deployment', 'StatefulSet', 'ReplicaSet', 'ControllerRevision'], 16, 'apps/v1'],
      // v1.22
      ['admissionregistration.k8s.io/v1beta1', ['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration'], 22, 'admissionregistration.k8s.io/v1'],
      ['apiextensions.k8s.io/v1beta1', ['CustomResourceDefinition'], 22, 'apiextensions.k8s.io/v1'],
      ['apiregistration.k8s.io/v1beta1', ['APIService'], 22, 'apiregistration.k8s.io/v1'],
      ['authentication.k8s.io/v1beta1', ['TokenReview'], 22, 'authentication.k8s.io/v1'],
      ['authorization.k8s.io/v1beta1', ['LocalSubjectAccessReview', 'SelfSubjectAccessReview', 'SubjectAccessReview'], 22, 'authorization.k8s.io/v1'],
      ['certificates.k8s.io/v1beta1', ['CertificateSigningRequest'], 22, 'certificates.k8s.io/v1'],
      ['coordination.k8s.io/v1beta1', ['Lease'], 22, 'coordination.k8s.io/v1'],
      ['extensions/v1beta1', ['Ingress'], 22, 'networking.k8s.io/v1'],
      ['networking.k8s.io/v1beta1', ['Ingress', 'IngressClass'], 22, 'networking.k8s.io/v1'],
      ['rbac.authorization.k8s.io/v1beta1', ['ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding'], 22, 'rbac.authorization.k8s.io/v1'],
      ['scheduling.k8s.io/v1beta1', ['PriorityClass'], 22, 'scheduling.k8s.io/v1'],
      ['storage.k8s.io/v1beta1', ['CSIDriver', 'CSINode', 'StorageClass', 'VolumeAttachment'], 22, 'storage.k8s.io/v1'],
      // v1.25
      ['batch/v1beta1', ['CronJob'], 25, 'batch/v1'],
      ['discovery.k8s.io/v1beta1', ['EndpointSlice'], 25, 'discovery.k8s.io/v1'],
      ['events.k8s.io/v1beta1', ['Event'], 25, 'events.k8s.io/v1'],
      ['autoscaling/v2beta1', ['HorizontalPodAutoscaler'], 25, 'autoscaling/v2'],
      ['policy/v1beta1', ['PodDisruptionBudget'], 25, 'policy/v1'],
      ['policy/v1beta1', ['PodSecurityPolicy'], 25, PSA],
      ['node.k8s.io/v1beta1', ['RuntimeClass'], 25, 'node.k8s.io/v1'],
      // v1.26
      ['flowcontrol.apiserver.k8s.io/v1beta1', ['FlowSchema', 'PriorityLevelConfiguration'], 26, 'flowcontrol.apiserver.k8s.io/v1'],
      ['autoscaling/v2beta2', ['HorizontalPodAutoscaler'], 26, 'autoscaling/v2'],
      // v1.27
      ['storage.k8s.io/v1beta1', ['CSIStorageCapacity'], 27, 'storage.k8s.io/v1'],
      // v1.29
      ['flowcontrol.apiserver.k8s.io/v1beta2', ['FlowSchema', 'PriorityLevelConfiguration'], 29, 'flowcontrol.apiserver.k8s.io/v1'],
      // v1.32
      ['flowcontrol.apiserver.k8s.io/v1beta3', ['FlowSchema', 'PriorityLevelConfiguration'], 32, 'flowcontrol.apiserver.k8s.io/v1'],
    ] as const
  ).flatMap(([apiVersion, kinds, removedIn, replacement]) => kinds.map((kind): [string, Removal] => [`${apiVersion} ${kind}`, { removedIn, replacement }])),
);

export const apiRemoved = defineCheck({
  id: 'api-removed',
  meta: {
    title: 'Removed Kubernetes API version',
    description:
      'Kubernetes stops serving beta API versions some releases after their replacement is stable. A manifest written against a removed version no longer applies, and the controls it describes may not exist any more: a PodSecurityPolicy protects nothing on Kubernetes 1.25 or later.',
    severity: 'info',
    category: 'workload',
    kinds: ['*'],
    messages: {
      removed: '{{kind}} {{apiVersion}} is not served since Kubernetes v1.{{removedIn}}; use {{replacement}}{{target}}',
      psp: 'PodSecurityPolicy ({{apiVersion}}) is not served since Kubernetes v1.{{removedIn}}: it enforces nothing on current clusters; use {{replacement}}{{target}}',
    },
    remediation: 'Migrate the manifest to the replacement API version (`kubectl convert` helps), or for PodSecurityPolicy to Pod Security Admission labels on namespaces.',
    references: {
      urls: ['https://kubernetes.io/docs/reference/using-api/deprecation-guide/', 'https://kubernetes.io/docs/tasks/configure-pod-container/migrate-from-psp/'],
    },
    recommended: true,
  },
  create(ctx) {
    const target = ctx.settings.k8sVersion !== undefined ? Number(ctx.settings.k8sVersion.replace(/^v?1\./, '')) : undefined;
    return (obj) => {
      const r = REMOVED_APIS.get(`${obj.apiVersion} ${obj.kind}`);
      if (!r) return;
      let note = '';
      if (target !== undefined && Number.isFinite(target)) {
        note = target >= r.removedIn ? ` (the target version 1.${target} rejects it)` : ` (still served by the target version 1.${target}, deprecated)`;
      }
      ctx.report({
        messageId: obj.kind === 'PodSecurityPolicy' ? 'psp' : 'removed',
        data: { kind: obj.kind, apiVersion: obj.apiVersion, removedIn: r.removedIn, replacement: r.replacement, target: note },
        object: obj,
        path: 'apiVersion',
      });
    };
  },
});
