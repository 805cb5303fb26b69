import { testNodeControl } from '../node-controls/tester.js';
import { etcdUniqueCa } from './check.js';

testNodeControl(etcdUniqueCa, import.meta.dirname);
