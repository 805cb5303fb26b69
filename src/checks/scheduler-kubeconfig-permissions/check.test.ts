import { testNodeControl } from '../node-controls/tester.js';
import { schedulerKubeconfigPermissions } from './check.js';

testNodeControl(schedulerKubeconfigPermissions, import.meta.dirname);
