import { testNodeControl } from '../node-controls/tester.js';
import { apiserverEventRateLimit } from './check.js';

testNodeControl(apiserverEventRateLimit, import.meta.dirname);
