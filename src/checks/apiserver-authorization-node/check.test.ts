import { testNodeControl } from '../node-controls/tester.js';
import { apiserverAuthorizationNode } from './check.js';

testNodeControl(apiserverAuthorizationNode, import.meta.dirname);
