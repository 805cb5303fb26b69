import { testNodeControl } from '../node-controls/tester.js';
import { pkiPrivateKeyPermissions } from './check.js';

testNodeControl(pkiPrivateKeyPermissions, import.meta.dirname);
