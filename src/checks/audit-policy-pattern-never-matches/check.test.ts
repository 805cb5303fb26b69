import { testCheck } from '../support/tester.js';
import { auditPolicyPatternNeverMatches } from './check.js';

testCheck(auditPolicyPatternNeverMatches, import.meta.dirname);
