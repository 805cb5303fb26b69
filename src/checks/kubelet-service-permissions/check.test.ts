import { testNodeControl } from '../node-controls/tester.js';
import { kubeletServicePermissions } from './check.js';

testNodeControl(kubeletServicePermissions, import.meta.dirname);
