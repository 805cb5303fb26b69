import { testNodeControl } from '../node-controls/tester.js';
import { apiserverServiceAccountKeyFile } from './check.js';

testNodeControl(apiserverServiceAccountKeyFile, import.meta.dirname);
