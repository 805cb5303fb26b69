import { testNodeControl } from '../node-controls/tester.js';
import { etcdPeerTls } from './check.js';

testNodeControl(etcdPeerTls, import.meta.dirname);
