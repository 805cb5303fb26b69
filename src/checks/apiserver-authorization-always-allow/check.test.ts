import { testNodeControl } from '../node-controls/tester.js';
import { apiserverAuthorizationAlwaysAllow } from './check.js';

testNodeControl(apiserverAuthorizationAlwaysAllow, import.meta.dirname);
