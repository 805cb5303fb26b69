import { testNodeControl } from '../node-controls/tester.js';
import { apiserverManifestPermissions } from './check.js';

testNodeControl(apiserverManifestPermissions, import.meta.dirname);
