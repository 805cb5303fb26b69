import { testCheck } from '../framework/tester.js';
import { rbacMissingSubject } from './check.js';

testCheck(rbacMissingSubject, import.meta.dirname);
