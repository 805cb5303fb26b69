/** apiserver-encryption-providers: CIS 1.2.28 — encryption providers are appropriately configured (manual). */
import { defineNodeControl } from '../node-controls/define.js';
import { encryption, encryptionConfigPath } from '../node-controls/templates.js';

export const apiserverEncryptionProviders = defineNodeControl({
  id: 'apiserver-encryption-providers',
  cis: '1.2.28',
  section: '1.2',
  component: 'apiserver',
  automated: false,
  severity: 'high',
  title: 'encryption providers are appropriately configured',
  description: 'An EncryptionConfiguration whose first provider for Secrets is `identity` (or a weak one) writes new Secrets in plaintext. CIS lists this check as manual; `apiserver-encryption-config` is kspect\'s automated check of the same file.',
  remediation: 'Use kms v2 (or aescbc/secretbox) as the first provider for secrets.',
  evaluate: (v) => { const p = encryptionConfigPath(v); return p === undefined ? [] : encryption(v, p); },
});
