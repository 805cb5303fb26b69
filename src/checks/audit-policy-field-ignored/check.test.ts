import { testCheck } from '../support/tester.js';
import { auditPolicyFieldIgnored } from './check.js';

testCheck(auditPolicyFieldIgnored, import.meta.dirname);
