import { testNodeControl } from '../node-controls/tester.js';
import { etcdDataDirOwner } from './check.js';

testNodeControl(etcdDataDirOwner, import.meta.dirname);
