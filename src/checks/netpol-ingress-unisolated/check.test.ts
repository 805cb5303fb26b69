import { testCheck } from '../support/tester.js';
import { netpolIngressUnisolated } from './check.js';

testCheck(netpolIngressUnisolated, import.meta.dirname);
