import { testCheck } from '../support/tester.js';
import { rbacMissingSubject } from './check.js';

testCheck(rbacMissingSubject, import.meta.dirname);
