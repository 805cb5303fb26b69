import { testNodeControl } from '../node-controls/tester.js';
import { apiserverAuditPolicyFile } from './check.js';

testNodeControl(apiserverAuditPolicyFile, import.meta.dirname);
