import { testNodeControl } from '../node-controls/tester.js';
import { apiserverAdmissionPodSecurity } from './check.js';

testNodeControl(apiserverAdmissionPodSecurity, import.meta.dirname);
