import { testNodeControl } from '../node-controls/tester.js';
import { controllerManagerRootCaFile } from './check.js';

testNodeControl(controllerManagerRootCaFile, import.meta.dirname);
