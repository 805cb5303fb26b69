/** kubelet-rotate-certificates: CIS 4.2.10 — kubelet client certificate rotation is not disabled. */
import { defineNodeControl } from '../node-controls/define.js';
import { boolOf, kubeletCheck } from '../node-controls/view.js';

export const kubeletRotateCertificates = defineNodeControl({
  id: 'kubelet-rotate-certificates',
  cis: '4.2.10',
  section: '4.2',
  component: 'kubelet',
  severity: 'medium',
  title: 'kubelet client certificate rotation is not disabled',
  description: 'With `rotateCertificates: false` the kubelet keeps its client certificate until it expires and the node drops out, which pushes operators to long-lived certificates.',
  remediation: 'Remove rotateCertificates: false.',
  evaluate: (v) => kubeletCheck(v, 'rotate-certificates', (s) => (s.source === 'default' ? true : (boolOf(s) ?? 'unparseable')), 'must not be false'),
});
