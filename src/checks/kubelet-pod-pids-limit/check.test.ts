import { testNodeControl } from '../node-controls/tester.js';
import { kubeletPodPidsLimit } from './check.js';

testNodeControl(kubeletPodPidsLimit, import.meta.dirname);
