import { testCheck } from '../support/tester.js';
import { rbacPvCreate } from './check.js';

testCheck(rbacPvCreate, import.meta.dirname);
