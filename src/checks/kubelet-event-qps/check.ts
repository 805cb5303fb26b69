/** kubelet-event-qps: CIS 4.2.8 — eventRecordQPS allows appropriate event capture (manual). */
import { parseGoInt } from '../../engines/node/flags.js';
import { defineNodeControl } from '../node-controls/define.js';
import { kubeletCheck } from '../node-controls/view.js';

export const kubeletEventQps = defineNodeControl({
  id: 'kubelet-event-qps',
  cis: '4.2.8',
  section: '4.2',
  component: 'kubelet',
  automated: false,
  severity: 'info',
  title: 'eventRecordQPS allows appropriate event capture',
  description: '`eventRecordQPS` limits how many events the kubelet records per second; too low and security-relevant events are dropped. CIS lists this check as manual.',
  remediation: 'Set eventRecordQPS to an appropriate level (0 = unlimited).',
  evaluate: (v) => kubeletCheck(v, 'event-qps', (s) => s.value === undefined || (parseGoInt(s.value) ?? -1) >= 0, 'negative'),
});
