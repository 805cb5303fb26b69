import { testNodeControl } from '../node-controls/tester.js';
import { kubeletInsecureCiphers } from './check.js';

testNodeControl(kubeletInsecureCiphers, import.meta.dirname);
