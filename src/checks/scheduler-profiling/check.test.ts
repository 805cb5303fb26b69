import { testNodeControl } from '../node-controls/tester.js';
import { schedulerProfiling } from './check.js';

testNodeControl(schedulerProfiling, import.meta.dirname);
