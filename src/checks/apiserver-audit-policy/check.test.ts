import { testNodeControl } from '../node-controls/tester.js';
import { apiserverAuditPolicy } from './check.js';

testNodeControl(apiserverAuditPolicy, import.meta.dirname);
