import { testNodeControl } from '../node-controls/tester.js';
import { controllerManagerBindAddress } from './check.js';

testNodeControl(controllerManagerBindAddress, import.meta.dirname);
