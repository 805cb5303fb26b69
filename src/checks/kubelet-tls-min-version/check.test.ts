import { testNodeControl } from '../node-controls/tester.js';
import { kubeletTlsMinVersion } from './check.js';

testNodeControl(kubeletTlsMinVersion, import.meta.dirname);
