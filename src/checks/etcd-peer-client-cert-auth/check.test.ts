import { testNodeControl } from '../node-controls/tester.js';
import { etcdPeerClientCertAuth } from './check.js';

testNodeControl(etcdPeerClientCertAuth, import.meta.dirname);
