import { testNodeControl } from '../node-controls/tester.js';
import { kubeletAnonymousAuth } from './check.js';

testNodeControl(kubeletAnonymousAuth, import.meta.dirname);
