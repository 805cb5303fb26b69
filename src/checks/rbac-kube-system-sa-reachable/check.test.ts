import { testCheck } from '../framework/tester.js';
import { rbacKubeSystemSaReachable } from './check.js';

testCheck(rbacKubeSystemSaReachable, import.meta.dirname);
