/** apiserver-encryption-config: Secrets are encrypted at rest with a sound EncryptionConfiguration. */
import { defineNodeControl } from '../node-controls/define.js';
import { encryptionConfigSound } from '../node-controls/templates.js';

export const apiserverEncryptionConfig = defineNodeControl({
  id: 'apiserver-encryption-config',
  section: 'K.4',
  component: 'apiserver',
  severity: 'high',
  title: 'Secrets are encrypted at rest with a sound EncryptionConfiguration',
  description: 'kspect audits the EncryptionConfiguration the API server uses (or the one given with `--encryption-config`): its first provider for Secrets must encrypt (kms v2, aescbc, aesgcm, secretbox), with keys of the right size. Otherwise new Secrets land in etcd in plaintext or weakly protected.',
  remediation: 'Write an EncryptionConfiguration whose first provider for secrets is kms v2 (or aescbc/secretbox) and set --encryption-provider-config.',
  evaluate: encryptionConfigSound,
});
