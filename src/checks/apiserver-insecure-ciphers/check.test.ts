import { testNodeControl } from '../node-controls/tester.js';
import { apiserverInsecureCiphers } from './check.js';

testNodeControl(apiserverInsecureCiphers, import.meta.dirname);
