import { testNodeControl } from '../node-controls/tester.js';
import { etcdDataDirPermissions } from './check.js';

testNodeControl(etcdDataDirPermissions, import.meta.dirname);
