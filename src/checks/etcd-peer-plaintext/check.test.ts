import { testNodeControl } from '../node-controls/tester.js';
import { etcdPeerPlaintext } from './check.js';

testNodeControl(etcdPeerPlaintext, import.meta.dirname);
