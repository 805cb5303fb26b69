/** apiserver-service-account-key-file: CIS 1.2.22 — --service-account-key-file is set. */
import { defineNodeControl } from '../node-controls/define.js';
import { flagsSet } from '../node-controls/view.js';

export const apiserverServiceAccountKeyFile = defineNodeControl({
  id: 'apiserver-service-account-key-file',
  cis: '1.2.22',
  section: '1.2',
  component: 'apiserver',
  manifests: true,
  severity: 'medium',
  title: '--service-account-key-file is set',
  description: '`--service-account-key-file` lists the public keys that verify service-account tokens. Set explicitly, keys can be rotated (old and new listed together) without invalidating every token at once.',
  remediation: 'Set --service-account-key-file to the public key(s) that verify service account tokens.',
  evaluate: (v) => flagsSet(v, 'apiserver', 'service-account-key-file'),
});
