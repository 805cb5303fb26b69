import { testNodeControl } from '../node-controls/tester.js';
import { kubeletKubeconfigPermissions } from './check.js';

testNodeControl(kubeletKubeconfigPermissions, import.meta.dirname);
