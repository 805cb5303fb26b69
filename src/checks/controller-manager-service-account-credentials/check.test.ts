import { testNodeControl } from '../node-controls/tester.js';
import { controllerManagerServiceAccountCredentials } from './check.js';

testNodeControl(controllerManagerServiceAccountCredentials, import.meta.dirname);
