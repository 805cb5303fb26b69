import { testCheck } from '../framework/tester.js';
import { certSystemMasters } from './check.js';

testCheck(certSystemMasters, import.meta.dirname);
