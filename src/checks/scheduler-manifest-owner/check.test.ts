import { testNodeControl } from '../node-controls/tester.js';
import { schedulerManifestOwner } from './check.js';

testNodeControl(schedulerManifestOwner, import.meta.dirname);
