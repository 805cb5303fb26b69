import { testCheck } from '../support/tester.js';
import { certSystemMasters } from './check.js';

testCheck(certSystemMasters, import.meta.dirname);
