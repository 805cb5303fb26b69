import { testNodeControl } from '../node-controls/tester.js';
import { controllerManagerKubeconfigPermissions } from './check.js';

testNodeControl(controllerManagerKubeconfigPermissions, import.meta.dirname);
