import { testNodeControl } from '../node-controls/tester.js';
import { apiserverEtcdClientCert } from './check.js';

testNodeControl(apiserverEtcdClientCert, import.meta.dirname);
