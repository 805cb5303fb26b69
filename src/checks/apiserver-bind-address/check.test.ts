import { testNodeControl } from '../node-controls/tester.js';
import { apiserverBindAddress } from './check.js';

testNodeControl(apiserverBindAddress, import.meta.dirname);
