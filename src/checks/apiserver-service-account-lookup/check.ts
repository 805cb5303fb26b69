/** apiserver-service-account-lookup: CIS 1.2.21 — service account tokens are checked against etcd (--service-account-lookup). */
import { defineNodeControl } from '../node-controls/define.js';
import { flagBool } from '../node-controls/view.js';

export const apiserverServiceAccountLookup = defineNodeControl({
  id: 'apiserver-service-account-lookup',
  cis: '1.2.21',
  section: '1.2',
  component: 'apiserver',
  manifests: true,
  severity: 'medium',
  title: 'service account tokens are checked against etcd (--service-account-lookup)',
  description: 'With `--service-account-lookup=false` the API server accepts a legacy service-account token after its Secret or ServiceAccount was deleted: revoking it has no effect.',
  remediation: 'Remove --service-account-lookup=false (the default is true).',
  evaluate: (v) => flagBool(v, 'apiserver', 'service-account-lookup', true, true),
});
