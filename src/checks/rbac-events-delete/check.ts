/** rbac-events-delete: deleting Events erases the cluster's record of what happened (covering tracks). */
import { probeCheck } from '../rbac-probe-check.js';

export const rbacEventsDelete = probeCheck({
  id: 'rbac-events-delete',
  title: 'Can delete Events',
  what: 'delete Events (erase the record of what happened)',
  description:
    'Events are the cluster\'s short-term record of scheduling, pulls, kills, probe failures and admission denials; incident responders and many tools read them. A subject that can delete them can erase the traces of its own activity. (Container logs cannot be deleted through the API: they go with the pod, which `rbac-pod-create` and the delete verbs on pods cover.)',
  severity: { cluster: 'medium', namespace: 'low' },
  probes: [
    { verbs: ['delete', 'deletecollection'], group: '', resource: 'events' },
    { verbs: ['delete', 'deletecollection'], group: 'events.k8s.io', resource: 'events' },
  ],
  ignoreNamed: true,
  remediation: 'Grant delete and deletecollection on events to nobody but the control plane; ship events to an external store (an event exporter) and rely on the audit log for accountability.',
  references: { mitre: ['T1070'], urls: ['https://kubernetes.io/docs/reference/kubernetes-api/cluster-resources/event-v1/'] },
});
