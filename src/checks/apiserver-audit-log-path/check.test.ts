import { testNodeControl } from '../node-controls/tester.js';
import { apiserverAuditLogPath } from './check.js';

testNodeControl(apiserverAuditLogPath, import.meta.dirname);
