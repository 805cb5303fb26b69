/** rbac-events-delete: deleting Events erases the cluster's record of what happened (covering tracks). */
import { dangerCheck } from '../rbac-danger.js';

// What it probes, its title and severities are its entry in the RBAC engine's danger catalogue (engines/rbac/dangers.ts).
export const rbacEventsDelete = dangerCheck('rbac-events-delete', {
  description:
    'Events are the cluster\'s short-term record of scheduling, pulls, kills, probe failures and admission denials; incident responders and many tools read them. A subject that can delete them can erase the traces of its own activity. (Container logs cannot be deleted through the API: they go with the pod, which `rbac-pod-create` and the delete verbs on pods cover.)',
  remediation: 'Grant delete and deletecollection on events to nobody but the control plane; ship events to an external store (an event exporter) and rely on the audit log for accountability.',
  references: { mitre: ['T1070'], urls: ['https://kubernetes.io/docs/reference/kubernetes-api/cluster-resources/event-v1/'] },
});
