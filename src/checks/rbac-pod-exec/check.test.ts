import { testCheck } from '../framework/tester.js';
import { rbacPodExec } from './check.js';

testCheck(rbacPodExec, import.meta.dirname);
