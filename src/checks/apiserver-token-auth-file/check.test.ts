import { testNodeControl } from '../node-controls/tester.js';
import { apiserverTokenAuthFile } from './check.js';

testNodeControl(apiserverTokenAuthFile, import.meta.dirname);
