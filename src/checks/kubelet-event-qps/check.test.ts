import { testNodeControl } from '../node-controls/tester.js';
import { kubeletEventQps } from './check.js';

testNodeControl(kubeletEventQps, import.meta.dirname);
