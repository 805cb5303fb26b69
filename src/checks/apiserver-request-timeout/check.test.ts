import { testNodeControl } from '../node-controls/tester.js';
import { apiserverRequestTimeout } from './check.js';

testNodeControl(apiserverRequestTimeout, import.meta.dirname);
