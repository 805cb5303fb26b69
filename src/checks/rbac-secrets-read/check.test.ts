import { testCheck } from '../framework/tester.js';
import { rbacSecretsRead } from './check.js';

testCheck(rbacSecretsRead, import.meta.dirname);
