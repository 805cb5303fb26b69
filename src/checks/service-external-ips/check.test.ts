import { testCheck } from '../support/tester.js';
import { serviceExternalIps } from './check.js';

testCheck(serviceExternalIps, import.meta.dirname);
