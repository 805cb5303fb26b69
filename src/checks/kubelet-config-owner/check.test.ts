import { testNodeControl } from '../node-controls/tester.js';
import { kubeletConfigOwner } from './check.js';

testNodeControl(kubeletConfigOwner, import.meta.dirname);
