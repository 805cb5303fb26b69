import { testNodeControl } from '../node-controls/tester.js';
import { apiserverAdmissionNodeRestriction } from './check.js';

testNodeControl(apiserverAdmissionNodeRestriction, import.meta.dirname);
