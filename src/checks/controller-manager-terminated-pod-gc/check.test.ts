import { testNodeControl } from '../node-controls/tester.js';
import { controllerManagerTerminatedPodGc } from './check.js';

testNodeControl(controllerManagerTerminatedPodGc, import.meta.dirname);
