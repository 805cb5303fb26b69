import { testCheck } from '../support/tester.js';
import { auditPolicyNoCatchAll } from './check.js';

testCheck(auditPolicyNoCatchAll, import.meta.dirname);
