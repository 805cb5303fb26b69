import { testNodeControl } from '../node-controls/tester.js';
import { schedulerBindAddress } from './check.js';

testNodeControl(schedulerBindAddress, import.meta.dirname);
