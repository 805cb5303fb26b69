/** apiserver-service-account-extend-token-expiration: CIS 1.2.30 — service account token expiry is not extended. */
import { defineNodeControl } from '../node-controls/define.js';
import { flagBool } from '../node-controls/view.js';

export const apiserverServiceAccountExtendTokenExpiration = defineNodeControl({
  id: 'apiserver-service-account-extend-token-expiration',
  cis: '1.2.30',
  section: '1.2',
  component: 'apiserver',
  manifests: true,
  severity: 'low',
  title: 'service account token expiry is not extended',
  description: 'With `--service-account-extend-token-expiration` (default true) the API server issues projected tokens valid for a year during the migration to bound tokens, so a stolen token stays useful far longer than the expiry the pod asked for.',
  remediation: 'Set --service-account-extend-token-expiration=false.',
  evaluate: (v) => flagBool(v, 'apiserver', 'service-account-extend-token-expiration', false, true),
});
