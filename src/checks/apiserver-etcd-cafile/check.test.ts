import { testNodeControl } from '../node-controls/tester.js';
import { apiserverEtcdCafile } from './check.js';

testNodeControl(apiserverEtcdCafile, import.meta.dirname);
