import { testCheck } from '../framework/tester.js';
import { rbacCsrApprove } from './check.js';

testCheck(rbacCsrApprove, import.meta.dirname);
