import { testNodeControl } from '../node-controls/tester.js';
import { kubeletKubeconfigOwner } from './check.js';

testNodeControl(kubeletKubeconfigOwner, import.meta.dirname);
