import { testNodeControl } from '../node-controls/tester.js';
import { etcdPeerTrustedCa } from './check.js';

testNodeControl(etcdPeerTrustedCa, import.meta.dirname);
