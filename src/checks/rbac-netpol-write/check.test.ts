import { testCheck } from '../support/tester.js';
import { rbacNetpolWrite } from './check.js';

testCheck(rbacNetpolWrite, import.meta.dirname);
