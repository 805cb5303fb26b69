import { testNodeControl } from '../node-controls/tester.js';
import { apiserverAllowPrivileged } from './check.js';

testNodeControl(apiserverAllowPrivileged, import.meta.dirname);
