import { testCheck } from '../support/tester.js';
import { rbacPodCreate } from './check.js';

testCheck(rbacPodCreate, import.meta.dirname);
