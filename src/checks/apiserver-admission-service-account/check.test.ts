import { testNodeControl } from '../node-controls/tester.js';
import { apiserverAdmissionServiceAccount } from './check.js';

testNodeControl(apiserverAdmissionServiceAccount, import.meta.dirname);
