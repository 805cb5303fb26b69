import { testNodeControl } from '../node-controls/tester.js';
import { apiserverAdmissionAlwaysAdmit } from './check.js';

testNodeControl(apiserverAdmissionAlwaysAdmit, import.meta.dirname);
