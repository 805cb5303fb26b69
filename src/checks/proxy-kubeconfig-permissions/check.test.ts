import { testNodeControl } from '../node-controls/tester.js';
import { proxyKubeconfigPermissions } from './check.js';

testNodeControl(proxyKubeconfigPermissions, import.meta.dirname);
