/** apiserver-always-pull-images: CIS 1.2.11 — the AlwaysPullImages admission plugin is enabled (manual). */
import { defineNodeControl } from '../node-controls/define.js';
import { listHas } from '../node-controls/view.js';

export const apiserverAlwaysPullImages = defineNodeControl({
  id: 'apiserver-always-pull-images',
  cis: '1.2.11',
  section: '1.2',
  component: 'apiserver',
  automated: false,
  severity: 'low',
  title: 'the AlwaysPullImages admission plugin is enabled',
  description: 'Without AlwaysPullImages, a pod can use a private image already pulled to its node by another tenant, without the pull secret. On multi-tenant clusters the plugin forces a pull (and so a credential check) every time. CIS lists this check as manual.',
  remediation: 'Add AlwaysPullImages to --enable-admission-plugins on multi-tenant clusters.',
  evaluate: (v) => listHas(v, 'apiserver', 'enable-admission-plugins', 'AlwaysPullImages'),
});
