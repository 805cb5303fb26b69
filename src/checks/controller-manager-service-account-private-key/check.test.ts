import { testNodeControl } from '../node-controls/tester.js';
import { controllerManagerServiceAccountPrivateKey } from './check.js';

testNodeControl(controllerManagerServiceAccountPrivateKey, import.meta.dirname);
