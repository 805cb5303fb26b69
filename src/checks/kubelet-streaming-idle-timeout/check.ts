/** kubelet-streaming-idle-timeout: CIS 4.2.5 — streaming connections time out (manual). */
import { defineNodeControl } from '../node-controls/define.js';
import { kubeletCheck } from '../node-controls/view.js';

export const kubeletStreamingIdleTimeout = defineNodeControl({
  id: 'kubelet-streaming-idle-timeout',
  cis: '4.2.5',
  section: '4.2',
  component: 'kubelet',
  automated: false,
  severity: 'low',
  title: 'streaming connections time out',
  description: 'With `streamingConnectionIdleTimeout: 0` an idle exec, attach or port-forward session stays open forever, holding resources and an open door. CIS lists this check as manual.',
  remediation: 'Set streamingConnectionIdleTimeout to a non-zero duration, e.g. 5m.',
  evaluate: (v) => kubeletCheck(v, 'streaming-connection-idle-timeout', (s) => s.value === undefined || !/^0+(s|m|h|ms)?$/.test(s.value), 'idle streaming connections never time out'),
});
