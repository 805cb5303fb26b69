import { testCheck } from '../support/tester.js';
import { auditPolicySensitiveBody } from './check.js';

testCheck(auditPolicySensitiveBody, import.meta.dirname);
