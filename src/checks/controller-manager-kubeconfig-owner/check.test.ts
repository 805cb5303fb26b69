import { testNodeControl } from '../node-controls/tester.js';
import { controllerManagerKubeconfigOwner } from './check.js';

testNodeControl(controllerManagerKubeconfigOwner, import.meta.dirname);
