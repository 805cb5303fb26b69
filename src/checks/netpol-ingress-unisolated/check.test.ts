import { testCheck } from '../framework/tester.js';
import { netpolIngressUnisolated } from './check.js';

testCheck(netpolIngressUnisolated, import.meta.dirname);
