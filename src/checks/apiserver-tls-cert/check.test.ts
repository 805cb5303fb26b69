import { testNodeControl } from '../node-controls/tester.js';
import { apiserverTlsCert } from './check.js';

testNodeControl(apiserverTlsCert, import.meta.dirname);
