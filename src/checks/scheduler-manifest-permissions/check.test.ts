import { testNodeControl } from '../node-controls/tester.js';
import { schedulerManifestPermissions } from './check.js';

testNodeControl(schedulerManifestPermissions, import.meta.dirname);
