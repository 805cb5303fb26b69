import { testCheck } from '../support/tester.js';
import { rbacBind } from './check.js';

testCheck(rbacBind, import.meta.dirname);
