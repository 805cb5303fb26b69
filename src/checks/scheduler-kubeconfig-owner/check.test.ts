import { testNodeControl } from '../node-controls/tester.js';
import { schedulerKubeconfigOwner } from './check.js';

testNodeControl(schedulerKubeconfigOwner, import.meta.dirname);
