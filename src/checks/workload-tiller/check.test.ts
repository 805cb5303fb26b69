import { testCheck } from '../support/tester.js';
import { workloadTiller } from './check.js';

testCheck(workloadTiller, import.meta.dirname);
