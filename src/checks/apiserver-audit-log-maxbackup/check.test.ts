import { testNodeControl } from '../node-controls/tester.js';
import { apiserverAuditLogMaxbackup } from './check.js';

testNodeControl(apiserverAuditLogMaxbackup, import.meta.dirname);
