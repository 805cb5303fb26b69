import { testCheck } from '../support/tester.js';
import { apiserviceInsecureTls } from './check.js';

testCheck(apiserviceInsecureTls, import.meta.dirname);
