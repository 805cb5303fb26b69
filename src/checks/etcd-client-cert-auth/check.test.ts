import { testNodeControl } from '../node-controls/tester.js';
import { etcdClientCertAuth } from './check.js';

testNodeControl(etcdClientCertAuth, import.meta.dirname);
