import { testNodeControl } from '../node-controls/tester.js';
import { etcdPeerAutoTls } from './check.js';

testNodeControl(etcdPeerAutoTls, import.meta.dirname);
