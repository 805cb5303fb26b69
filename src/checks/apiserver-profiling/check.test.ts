import { testNodeControl } from '../node-controls/tester.js';
import { apiserverProfiling } from './check.js';

testNodeControl(apiserverProfiling, import.meta.dirname);
