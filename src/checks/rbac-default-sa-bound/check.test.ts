import { testCheck } from '../support/tester.js';
import { rbacDefaultSaBound } from './check.js';

testCheck(rbacDefaultSaBound, import.meta.dirname);
