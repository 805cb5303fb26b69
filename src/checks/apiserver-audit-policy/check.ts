/** apiserver-audit-policy: the audit policy logs no secret bodies, has a catch-all rule and omits RequestReceived. */
import { defineNodeControl } from '../node-controls/define.js';
import { auditPolicy, auditPolicyPath } from '../node-controls/templates.js';

export const apiserverAuditPolicy = defineNodeControl({
  id: 'apiserver-audit-policy',
  section: 'K.4',
  component: 'apiserver',
  severity: 'medium',
  title: 'the audit policy logs no secret bodies, has a catch-all rule and omits RequestReceived',
  description: 'An audit policy that logs Secrets, ConfigMaps or TokenReviews at Request or RequestResponse level writes credentials into the audit log; one without a catch-all rule silently drops whole classes of requests.',
  remediation: 'Log secrets, configmaps and tokenreviews at Metadata, end with a catch-all rule, and set omitStages: [RequestReceived].',
  evaluate: (v) => auditPolicy(v, auditPolicyPath(v)),
});
