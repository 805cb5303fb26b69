/** apiserver-bootstrap-token-auth: bootstrap token authentication is off once nodes have joined. */
import { defineNodeControl } from '../node-controls/define.js';
import { flagBool } from '../node-controls/view.js';

export const apiserverBootstrapTokenAuth = defineNodeControl({
  id: 'apiserver-bootstrap-token-auth',
  section: 'K.1',
  component: 'apiserver',
  manifests: true,
  severity: 'info',
  title: 'bootstrap token authentication is off once nodes have joined',
  description: 'Bootstrap tokens (Secrets in kube-system) let new nodes join; while `--enable-bootstrap-token-auth` is on, a leaked token that has not expired lets anyone register a node and request its certificates.',
  remediation: 'Set --enable-bootstrap-token-auth=false when no node needs to join, or keep bootstrap tokens short-lived.',
  evaluate: (v) => flagBool(v, 'apiserver', 'enable-bootstrap-token-auth', false, false),
});
