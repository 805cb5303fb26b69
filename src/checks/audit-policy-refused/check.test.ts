import { testCheck } from '../support/tester.js';
import { auditPolicyRefused } from './check.js';

testCheck(auditPolicyRefused, import.meta.dirname);
