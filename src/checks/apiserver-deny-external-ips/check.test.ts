import { testNodeControl } from '../node-controls/tester.js';
import { apiserverDenyExternalIps } from './check.js';

testNodeControl(apiserverDenyExternalIps, import.meta.dirname);
