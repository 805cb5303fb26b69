import { testNodeControl } from '../node-controls/tester.js';
import { kubeletReadOnlyPortOpen } from './check.js';

testNodeControl(kubeletReadOnlyPortOpen, import.meta.dirname);
