import { testNodeControl } from '../node-controls/tester.js';
import { apiserverStrongCiphers } from './check.js';

testNodeControl(apiserverStrongCiphers, import.meta.dirname);
