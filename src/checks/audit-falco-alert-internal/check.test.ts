import { testCheck } from '../support/tester.js';
import { auditFalcoAlertInternal } from './check.js';

testCheck(auditFalcoAlertInternal, import.meta.dirname);
