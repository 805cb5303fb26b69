import { testCheck } from '../support/tester.js';
import { serviceExposed } from './check.js';

testCheck(serviceExposed, import.meta.dirname);
