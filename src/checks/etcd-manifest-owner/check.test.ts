import { testNodeControl } from '../node-controls/tester.js';
import { etcdManifestOwner } from './check.js';

testNodeControl(etcdManifestOwner, import.meta.dirname);
