import { testNodeControl } from '../node-controls/tester.js';
import { apiserverAuthorizationRbac } from './check.js';

testNodeControl(apiserverAuthorizationRbac, import.meta.dirname);
