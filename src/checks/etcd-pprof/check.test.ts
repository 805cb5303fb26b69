import { testNodeControl } from '../node-controls/tester.js';
import { etcdPprof } from './check.js';

testNodeControl(etcdPprof, import.meta.dirname);
