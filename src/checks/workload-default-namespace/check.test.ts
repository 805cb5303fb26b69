import { testCheck } from '../support/tester.js';
import { workloadDefaultNamespace } from './check.js';

testCheck(workloadDefaultNamespace, import.meta.dirname);
