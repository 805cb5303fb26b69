import { testCheck } from '../framework/tester.js';
import { rbacImpersonate } from './check.js';

testCheck(rbacImpersonate, import.meta.dirname);
