import { testNodeControl } from '../node-controls/tester.js';
import { etcdTls } from './check.js';

testNodeControl(etcdTls, import.meta.dirname);
