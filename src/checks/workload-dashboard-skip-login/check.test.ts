import { testCheck } from '../support/tester.js';
import { workloadDashboardSkipLogin } from './check.js';

testCheck(workloadDashboardSkipLogin, import.meta.dirname);
