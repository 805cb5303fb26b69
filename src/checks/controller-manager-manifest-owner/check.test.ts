import { testNodeControl } from '../node-controls/tester.js';
import { controllerManagerManifestOwner } from './check.js';

testNodeControl(controllerManagerManifestOwner, import.meta.dirname);
