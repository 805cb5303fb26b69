import { testCheck } from '../support/tester.js';
import { rbacEscalate } from './check.js';

testCheck(rbacEscalate, import.meta.dirname);
