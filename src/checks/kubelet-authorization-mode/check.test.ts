import { testNodeControl } from '../node-controls/tester.js';
import { kubeletAuthorizationMode } from './check.js';

testNodeControl(kubeletAuthorizationMode, import.meta.dirname);
