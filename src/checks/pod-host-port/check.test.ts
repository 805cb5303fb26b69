import { testCheck } from '../framework/tester.js';
import { podHostPort } from './check.js';

testCheck(podHostPort, import.meta.dirname);
