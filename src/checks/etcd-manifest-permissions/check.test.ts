import { testNodeControl } from '../node-controls/tester.js';
import { etcdManifestPermissions } from './check.js';

testNodeControl(etcdManifestPermissions, import.meta.dirname);
