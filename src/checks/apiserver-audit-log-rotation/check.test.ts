import { testNodeControl } from '../node-controls/tester.js';
import { apiserverAuditLogRotation } from './check.js';

testNodeControl(apiserverAuditLogRotation, import.meta.dirname);
