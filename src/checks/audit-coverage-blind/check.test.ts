import { testCheck } from '../support/tester.js';
import { auditCoverageBlind } from './check.js';

testCheck(auditCoverageBlind, import.meta.dirname);
