import { testNodeControl } from '../node-controls/tester.js';
import { kubeletHostnameOverride } from './check.js';

testNodeControl(kubeletHostnameOverride, import.meta.dirname);
