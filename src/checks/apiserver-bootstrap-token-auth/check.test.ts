import { testNodeControl } from '../node-controls/tester.js';
import { apiserverBootstrapTokenAuth } from './check.js';

testNodeControl(apiserverBootstrapTokenAuth, import.meta.dirname);
