import { testCheck } from '../support/tester.js';
import { rbacStatusPatch } from './check.js';

testCheck(rbacStatusPatch, import.meta.dirname);
