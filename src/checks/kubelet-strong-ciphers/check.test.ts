import { testNodeControl } from '../node-controls/tester.js';
import { kubeletStrongCiphers } from './check.js';

testNodeControl(kubeletStrongCiphers, import.meta.dirname);
