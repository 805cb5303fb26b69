import { testNodeControl } from '../node-controls/tester.js';
import { apiserverHsts } from './check.js';

testNodeControl(apiserverHsts, import.meta.dirname);
