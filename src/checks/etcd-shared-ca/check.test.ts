import { testNodeControl } from '../node-controls/tester.js';
import { etcdSharedCa } from './check.js';

testNodeControl(etcdSharedCa, import.meta.dirname);
