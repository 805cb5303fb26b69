import { testCheck } from '../support/tester.js';
import { rbacCsrApprove } from './check.js';

testCheck(rbacCsrApprove, import.meta.dirname);
