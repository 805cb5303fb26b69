import { testNodeControl } from '../node-controls/tester.js';
import { etcdListenClientPlaintext } from './check.js';

testNodeControl(etcdListenClientPlaintext, import.meta.dirname);
