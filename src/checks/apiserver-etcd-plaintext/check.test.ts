import { testNodeControl } from '../node-controls/tester.js';
import { apiserverEtcdPlaintext } from './check.js';

testNodeControl(apiserverEtcdPlaintext, import.meta.dirname);
