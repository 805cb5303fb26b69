import { testNodeControl } from '../node-controls/tester.js';
import { apiserverManifestOwner } from './check.js';

testNodeControl(apiserverManifestOwner, import.meta.dirname);
