import { testNodeControl } from '../node-controls/tester.js';
import { cniFilePermissions } from './check.js';

testNodeControl(cniFilePermissions, import.meta.dirname);
