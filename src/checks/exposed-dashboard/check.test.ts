import { testCheck } from '../support/tester.js';
import { exposedDashboard } from './check.js';

testCheck(exposedDashboard, import.meta.dirname);
