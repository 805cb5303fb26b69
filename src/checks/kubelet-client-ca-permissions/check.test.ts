import { testNodeControl } from '../node-controls/tester.js';
import { kubeletClientCaPermissions } from './check.js';

testNodeControl(kubeletClientCaPermissions, import.meta.dirname);
