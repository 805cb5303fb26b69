import { testCheck } from '../support/tester.js';
import { auditPolicyNoBody } from './check.js';

testCheck(auditPolicyNoBody, import.meta.dirname);
