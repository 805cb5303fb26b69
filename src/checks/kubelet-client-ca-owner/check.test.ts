import { testNodeControl } from '../node-controls/tester.js';
import { kubeletClientCaOwner } from './check.js';

testNodeControl(kubeletClientCaOwner, import.meta.dirname);
