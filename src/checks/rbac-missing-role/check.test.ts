import { testCheck } from '../support/tester.js';
import { rbacMissingRole } from './check.js';

testCheck(rbacMissingRole, import.meta.dirname);
