import { testNodeControl } from '../node-controls/tester.js';
import { apiserverAuditLogMaxsize } from './check.js';

testNodeControl(apiserverAuditLogMaxsize, import.meta.dirname);
