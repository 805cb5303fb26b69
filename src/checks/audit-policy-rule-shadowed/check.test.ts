import { testCheck } from '../support/tester.js';
import { auditPolicyRuleShadowed } from './check.js';

testCheck(auditPolicyRuleShadowed, import.meta.dirname);
