import { testNodeControl } from '../node-controls/tester.js';
import { encryptionConfigPermissions } from './check.js';

testNodeControl(encryptionConfigPermissions, import.meta.dirname);
