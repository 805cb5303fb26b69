import { testCheck } from '../support/tester.js';
import { exposedComponentEndpoints } from './check.js';

testCheck(exposedComponentEndpoints, import.meta.dirname);
