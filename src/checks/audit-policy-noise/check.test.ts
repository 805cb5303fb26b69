import { testCheck } from '../support/tester.js';
import { auditPolicyNoise } from './check.js';

testCheck(auditPolicyNoise, import.meta.dirname);
