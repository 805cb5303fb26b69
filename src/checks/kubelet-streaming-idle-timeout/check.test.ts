import { testNodeControl } from '../node-controls/tester.js';
import { kubeletStreamingIdleTimeout } from './check.js';

testNodeControl(kubeletStreamingIdleTimeout, import.meta.dirname);
