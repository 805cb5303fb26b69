import { testNodeControl } from '../node-controls/tester.js';
import { apiserverInsecurePort } from './check.js';

testNodeControl(apiserverInsecurePort, import.meta.dirname);
