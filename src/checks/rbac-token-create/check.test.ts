import { testCheck } from '../support/tester.js';
import { rbacTokenCreate } from './check.js';

testCheck(rbacTokenCreate, import.meta.dirname);
