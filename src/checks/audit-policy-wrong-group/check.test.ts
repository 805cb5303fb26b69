import { testCheck } from '../support/tester.js';
import { auditPolicyWrongGroup } from './check.js';

testCheck(auditPolicyWrongGroup, import.meta.dirname);
