import { testCheck } from '../framework/tester.js';
import { netpolNamedPortUndeclared } from './check.js';

testCheck(netpolNamedPortUndeclared, import.meta.dirname);
