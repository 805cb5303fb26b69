import { testNodeControl } from '../node-controls/tester.js';
import { etcdAutoTls } from './check.js';

testNodeControl(etcdAutoTls, import.meta.dirname);
