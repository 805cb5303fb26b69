import { testNodeControl } from '../node-controls/tester.js';
import { apiserverServiceAccountLookup } from './check.js';

testNodeControl(apiserverServiceAccountLookup, import.meta.dirname);
