import { testCheck } from '../support/tester.js';
import { auditPolicyRequestReceived } from './check.js';

testCheck(auditPolicyRequestReceived, import.meta.dirname);
