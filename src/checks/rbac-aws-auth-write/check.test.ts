import { testCheck } from '../support/tester.js';
import { rbacAwsAuthWrite } from './check.js';

testCheck(rbacAwsAuthWrite, import.meta.dirname);
