import { testCheck } from '../framework/tester.js';
import { rbacSecretsCreate } from './check.js';

testCheck(rbacSecretsCreate, import.meta.dirname);
