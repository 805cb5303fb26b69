import { testCheck } from '../support/tester.js';
import { rbacImpersonate } from './check.js';

testCheck(rbacImpersonate, import.meta.dirname);
