import { testCheck } from '../support/tester.js';
import { rbacKubeSystemSaReachable } from './check.js';

testCheck(rbacKubeSystemSaReachable, import.meta.dirname);
