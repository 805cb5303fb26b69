import { testCheck } from '../support/tester.js';
import { auditFalcoAlert } from './check.js';

testCheck(auditFalcoAlert, import.meta.dirname);
