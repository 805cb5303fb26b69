import { testCheck } from '../framework/tester.js';
import { podPrivileged } from './check.js';

testCheck(podPrivileged, import.meta.dirname);
