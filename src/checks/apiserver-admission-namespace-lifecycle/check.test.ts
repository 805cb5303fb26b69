import { testNodeControl } from '../node-controls/tester.js';
import { apiserverAdmissionNamespaceLifecycle } from './check.js';

testNodeControl(apiserverAdmissionNamespaceLifecycle, import.meta.dirname);
