import { testCheck } from '../support/tester.js';
import { auditPolicyUnlogged } from './check.js';

testCheck(auditPolicyUnlogged, import.meta.dirname);
