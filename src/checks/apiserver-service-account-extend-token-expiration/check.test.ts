import { testNodeControl } from '../node-controls/tester.js';
import { apiserverServiceAccountExtendTokenExpiration } from './check.js';

testNodeControl(apiserverServiceAccountExtendTokenExpiration, import.meta.dirname);
