import { testCheck } from '../framework/tester.js';
import { rbacPvCreate } from './check.js';

testCheck(rbacPvCreate, import.meta.dirname);
