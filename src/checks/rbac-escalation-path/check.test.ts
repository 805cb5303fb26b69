import { testCheck } from '../support/tester.js';
import { rbacEscalationPath } from './check.js';

testCheck(rbacEscalationPath, import.meta.dirname);
