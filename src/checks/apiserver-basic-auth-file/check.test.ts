import { testNodeControl } from '../node-controls/tester.js';
import { apiserverBasicAuthFile } from './check.js';

testNodeControl(apiserverBasicAuthFile, import.meta.dirname);
