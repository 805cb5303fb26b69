import { testNodeControl } from '../node-controls/tester.js';
import { adminKubeconfigOwner } from './check.js';

testNodeControl(adminKubeconfigOwner, import.meta.dirname);
