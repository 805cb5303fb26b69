import { testCheck } from '../framework/tester.js';
import { rbacMissingRole } from './check.js';

testCheck(rbacMissingRole, import.meta.dirname);
