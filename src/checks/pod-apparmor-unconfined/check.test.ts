import { testCheck } from '../support/tester.js';
import { podApparmorUnconfined } from './check.js';

testCheck(podApparmorUnconfined, import.meta.dirname);
