import { testNodeControl } from '../node-controls/tester.js';
import { adminKubeconfigPermissions } from './check.js';

testNodeControl(adminKubeconfigPermissions, import.meta.dirname);
