import { testNodeControl } from '../node-controls/tester.js';
import { kubeletConfigPermissions } from './check.js';

testNodeControl(kubeletConfigPermissions, import.meta.dirname);
