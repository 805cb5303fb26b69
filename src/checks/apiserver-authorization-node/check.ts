/** apiserver-authorization-node: CIS 1.2.7 — --authorization-mode includes Node. */
import { defineNodeControl } from '../node-controls/define.js';
import { listHas } from '../node-controls/view.js';

export const apiserverAuthorizationNode = defineNodeControl({
  id: 'apiserver-authorization-node',
  cis: '1.2.7',
  section: '1.2',
  component: 'apiserver',
  manifests: true,
  severity: 'high',
  title: '--authorization-mode includes Node',
  description: 'The Node authorizer limits each kubelet to the Secrets, ConfigMaps and volumes of the pods bound to its own node. Without it, kubelet credentials are authorized by RBAC alone, and a compromised node can read objects of the whole cluster.',
  remediation: 'Set --authorization-mode=Node,RBAC.',
  evaluate: (v) => listHas(v, 'apiserver', 'authorization-mode', 'Node'),
});
