/** reliability-job-ttl: Jobs that are never cleaned up, and CronJobs without a starting deadline. */
import { getNumber, getObject } from '../../model/object.js';
import { defineCheck } from '../../framework/define.js';

export const reliabilityJobTtl = defineCheck({
  id: 'reliability-job-ttl',
  meta: {
    title: 'Job without cleanup, or CronJob without a starting deadline',
    description:
      'A Job without `ttlSecondsAfterFinished` stays with its pods after it finishes until someone deletes it, piling up objects for the API server and etcd. A CronJob without `startingDeadlineSeconds` counts every missed schedule since its last run; after more than 100 missed schedules (a controller outage, a long suspension) it stops scheduling altogether.',
    severity: 'low',
    category: 'reliability',
    kinds: ['Job', 'CronJob'],
    messages: {
      ttl: 'Job sets no ttlSecondsAfterFinished: it and its pods stay after it finishes',
      deadline: 'CronJob sets no startingDeadlineSeconds: after 100 missed schedules it stops scheduling',
    },
    remediation: 'Set `spec.ttlSecondsAfterFinished` on Jobs (CronJobs clean up with `successfulJobsHistoryLimit`), and `spec.startingDeadlineSeconds` on CronJobs.',
    references: { urls: ['https://kubernetes.io/docs/concepts/workloads/controllers/ttlafterfinished/', 'https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/#job-creation'] },
    recommended: false,
  },
  create(ctx) {
    return (obj) => {
      if (!obj.apiVersion.startsWith('batch/')) return;
      const spec = getObject(obj.raw, 'spec');
      if (obj.kind === 'Job') {
        // Jobs a CronJob made are cleaned up by its history limits.
        if (obj.metadata.labels['batch.kubernetes.io/controller-uid'] !== undefined) return;
        if (getNumber(spec, 'ttlSecondsAfterFinished') === undefined) ctx.report({ messageId: 'ttl', object: obj, path: 'spec.ttlSecondsAfterFinished' });
        return;
      }
      if (getNumber(spec, 'startingDeadlineSeconds') === undefined) ctx.report({ messageId: 'deadline', object: obj, path: 'spec.startingDeadlineSeconds' });
    };
  },
});
