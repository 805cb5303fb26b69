import { testCheck } from '../framework/tester.js';
import { rbacStatusPatch } from './check.js';

testCheck(rbacStatusPatch, import.meta.dirname);
