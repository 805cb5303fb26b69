import { testNodeControl } from '../node-controls/tester.js';
import { controllerManagerManifestPermissions } from './check.js';

testNodeControl(controllerManagerManifestPermissions, import.meta.dirname);
