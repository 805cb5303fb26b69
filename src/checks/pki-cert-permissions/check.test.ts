import { testNodeControl } from '../node-controls/tester.js';
import { pkiCertPermissions } from './check.js';

testNodeControl(pkiCertPermissions, import.meta.dirname);
