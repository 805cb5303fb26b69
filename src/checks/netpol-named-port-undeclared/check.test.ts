import { testCheck } from '../support/tester.js';
import { netpolNamedPortUndeclared } from './check.js';

testCheck(netpolNamedPortUndeclared, import.meta.dirname);
