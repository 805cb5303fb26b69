import { testCheck } from '../framework/tester.js';
import { rbacBind } from './check.js';

testCheck(rbacBind, import.meta.dirname);
