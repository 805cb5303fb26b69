import { testNodeControl } from '../node-controls/tester.js';
import { apiserverKubeletClientCert } from './check.js';

testNodeControl(apiserverKubeletClientCert, import.meta.dirname);
