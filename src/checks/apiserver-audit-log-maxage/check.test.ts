import { testNodeControl } from '../node-controls/tester.js';
import { apiserverAuditLogMaxage } from './check.js';

testNodeControl(apiserverAuditLogMaxage, import.meta.dirname);
