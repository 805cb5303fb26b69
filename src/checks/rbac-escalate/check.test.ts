import { testCheck } from '../framework/tester.js';
import { rbacEscalate } from './check.js';

testCheck(rbacEscalate, import.meta.dirname);
