import { testCheck } from '../framework/tester.js';
import { rbacDefaultSaBound } from './check.js';

testCheck(rbacDefaultSaBound, import.meta.dirname);
