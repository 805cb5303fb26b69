import { testCheck } from '../support/tester.js';
import { rbacServiceWrite } from './check.js';

testCheck(rbacServiceWrite, import.meta.dirname);
