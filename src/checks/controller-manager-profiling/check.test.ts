import { testNodeControl } from '../node-controls/tester.js';
import { controllerManagerProfiling } from './check.js';

testNodeControl(controllerManagerProfiling, import.meta.dirname);
