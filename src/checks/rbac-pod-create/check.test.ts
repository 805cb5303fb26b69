import { testCheck } from '../framework/tester.js';
import { rbacPodCreate } from './check.js';

testCheck(rbacPodCreate, import.meta.dirname);
