import { testNodeControl } from '../node-controls/tester.js';
import { apiserverAnonymousAuth } from './check.js';

testNodeControl(apiserverAnonymousAuth, import.meta.dirname);
