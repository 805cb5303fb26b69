import { testNodeControl } from '../node-controls/tester.js';
import { kubeletReadOnlyPort } from './check.js';

testNodeControl(kubeletReadOnlyPort, import.meta.dirname);
