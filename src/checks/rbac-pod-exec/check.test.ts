import { testCheck } from '../support/tester.js';
import { rbacPodExec } from './check.js';

testCheck(rbacPodExec, import.meta.dirname);
