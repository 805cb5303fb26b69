/** encryption-config-permissions: the EncryptionConfiguration (it holds keys) has mode 600 or stricter. */
import { defineNodeControl } from '../node-controls/define.js';
import { encryptionConfigPath } from '../node-controls/templates.js';
import { modeAtMost } from '../node-controls/view.js';

export const encryptionConfigPermissions = defineNodeControl({
  id: 'encryption-config-permissions',
  section: 'K.4',
  component: 'files',
  severity: 'high',
  title: 'the EncryptionConfiguration (it holds keys) has mode 600 or stricter',
  description: 'The EncryptionConfiguration holds the keys that encrypt every Secret in etcd (unless it uses KMS). Readable beyond root, it makes encryption at rest pointless.',
  remediation: 'chmod 600 the file of --encryption-provider-config.',
  evaluate: (v) => { const p = encryptionConfigPath(v); return p === undefined || p.startsWith('<given>') ? [] : [modeAtMost(v, p, 0o600, 'encryption configuration')]; },
});
