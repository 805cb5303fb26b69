import { testCheck } from '../framework/tester.js';
import { serviceExposed } from './check.js';

testCheck(serviceExposed, import.meta.dirname);
