import { testCheck } from '../support/tester.js';
import { podHostPort } from './check.js';

testCheck(podHostPort, import.meta.dirname);
