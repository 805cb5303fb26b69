/** apiserver-anonymous-auth: CIS 1.2.1 — anonymous requests to the API server are disabled (manual). */
import { defineNodeControl } from '../node-controls/define.js';
import { flagBool } from '../node-controls/view.js';

export const apiserverAnonymousAuth = defineNodeControl({
  id: 'apiserver-anonymous-auth',
  cis: '1.2.1',
  section: '1.2',
  component: 'apiserver',
  automated: false,
  severity: 'medium',
  title: 'anonymous requests to the API server are disabled',
  description: 'With `--anonymous-auth` left at its default (true), requests without credentials are served as `system:anonymous` in the group `system:unauthenticated`; they get whatever RBAC grants those names, which one careless binding turns into a data leak. CIS lists this as manual because kubeadm clusters rely on anonymous access for health checks.',
  remediation: 'Set --anonymous-auth=false once health checks no longer need anonymous access (or restrict it to /healthz, /livez and /readyz with an AuthenticationConfiguration).',
  evaluate: (v) => flagBool(v, 'apiserver', 'anonymous-auth', false, true),
});
