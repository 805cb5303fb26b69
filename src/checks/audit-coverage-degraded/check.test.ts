import { testCheck } from '../support/tester.js';
import { auditCoverageDegraded } from './check.js';

testCheck(auditCoverageDegraded, import.meta.dirname);
