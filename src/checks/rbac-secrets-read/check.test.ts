import { testCheck } from '../support/tester.js';
import { rbacSecretsRead } from './check.js';

testCheck(rbacSecretsRead, import.meta.dirname);
