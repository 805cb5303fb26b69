import { testCheck } from '../framework/tester.js';
import { podApparmorUnconfined } from './check.js';

testCheck(podApparmorUnconfined, import.meta.dirname);
