import { testNodeControl } from '../node-controls/tester.js';
import { pkiKeyFilePermissions } from './check.js';

testNodeControl(pkiKeyFilePermissions, import.meta.dirname);
