import { testNodeControl } from '../node-controls/tester.js';
import { kubeletServiceOwner } from './check.js';

testNodeControl(kubeletServiceOwner, import.meta.dirname);
