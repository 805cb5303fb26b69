import { testNodeControl } from '../node-controls/tester.js';
import { apiserverClientCaFile } from './check.js';

testNodeControl(apiserverClientCaFile, import.meta.dirname);
