import { testCheck } from '../support/tester.js';
import { rbacSecretsCreate } from './check.js';

testCheck(rbacSecretsCreate, import.meta.dirname);
