/** apiserver-encryption-provider-config: CIS 1.2.27 — encryption at rest is configured (--encryption-provider-config) (manual). */
import { defineNodeControl } from '../node-controls/define.js';
import { flagsSet } from '../node-controls/view.js';

export const apiserverEncryptionProviderConfig = defineNodeControl({
  id: 'apiserver-encryption-provider-config',
  cis: '1.2.27',
  section: '1.2',
  component: 'apiserver',
  automated: false,
  severity: 'high',
  title: 'encryption at rest is configured (--encryption-provider-config)',
  description: 'Without `--encryption-provider-config` every Secret is stored in etcd in plaintext: etcd backups, snapshots and its disk hold them in clear. CIS lists this check as manual; `apiserver-encryption-config` is kspect\'s automated check.',
  remediation: 'Set --encryption-provider-config to an EncryptionConfiguration.',
  evaluate: (v) => flagsSet(v, 'apiserver', 'encryption-provider-config'),
});
