import { testNodeControl } from '../node-controls/tester.js';
import { apiserverTlsMinVersion } from './check.js';

testNodeControl(apiserverTlsMinVersion, import.meta.dirname);
