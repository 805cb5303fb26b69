import { testCheck } from '../framework/tester.js';
import { rbacTokenCreate } from './check.js';

testCheck(rbacTokenCreate, import.meta.dirname);
